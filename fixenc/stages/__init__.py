"""The text stages, one module or package each, in the order ``fixenc.pipeline`` runs them.

Each opens with a docstring naming its stage, exposes ``stage(text, context)`` returning a
``StageOutput`` or ``None``, and imports only ``model``, ``chars``, ``plausibility`` and the
other shared low layers, never the pipeline, the file layer, the report or another stage.
"""
