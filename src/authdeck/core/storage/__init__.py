"""Storage of the core: the schema, the engine and its transactions, migrations, and queries per recipe."""
