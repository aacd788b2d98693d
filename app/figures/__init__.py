"""Figure builders: data in, Plotly figure out (no Streamlit). ``common`` holds the shared conventions; one module per page."""
