"""Bank reading and validation: schema, runtime model, YAML, checks, cache, lint."""
