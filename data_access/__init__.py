"""Data access: schema, engine, repositories returning DataFrames, the viewer's scope, bulk loads."""
