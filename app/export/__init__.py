"""Export for slides and data: file names (``names``), slide layout (``layout``), rendering (``render``), CSV/JSON (``data``)."""
