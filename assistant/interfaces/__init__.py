"""The ways in: the `assistant` command line and the Gradio web chat."""
