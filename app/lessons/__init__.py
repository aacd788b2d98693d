"""Pure computations behind the lesson pages (no Streamlit, no Plotly).

One module per lesson, each small enough to read next to its page and the
paper:

* ``masks`` — padding / look-ahead / decoder masks of a real batch and the
  four stages QKᵀ → ÷√d_k → −∞ masking → softmax (§3.2.1, §3.2.3).
* ``scaled`` — attention as a soft dictionary look-up, why scores are
  divided by √d_k, and four scoring functions side by side (§3.2.1).
* ``positional`` — the sinusoidal positional encoding and its similarity
  structure (§3.5).
* ``multihead`` — how heads split d_model, what each head attends to, and
  Concat · W^O (§3.2.2).
* ``architecture`` — Figure 1 as data, hyper-parameters and parameter
  counts next to the paper's base and big models (§3, Table 3).
"""
