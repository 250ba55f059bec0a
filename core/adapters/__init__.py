"""Cloud adapters: one module per data source kind behind one small contract, loaded lazily."""
