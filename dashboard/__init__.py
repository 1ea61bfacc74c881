"""What is shown: the governance dashboard (Streamlit)."""
