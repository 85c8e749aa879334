"""Business rules of the core, one module per recipe: functions of (connection, settings, input)."""
