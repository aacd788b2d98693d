"""Streamlit UI pieces shared by the pages: sidebar controls, the sentence box, the export panel."""
