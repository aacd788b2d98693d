"""Before the Transformer: RNN encoder–decoders, with and without Bahdanau attention.

The paper's introduction (§1–2) starts from recurrent sequence models. This
package trains and runs the two models that story needs, on the same data and
tokenizer as ``multi30k-en-de``:

* ``attention = "none"`` — the *context-vector bottleneck* (Cho et al., 2014;
  Sutskever et al., 2014): the decoder sees the whole sentence only through
  one fixed-size vector, the encoder's final state.
* ``attention = "additive"`` — Bahdanau, Cho & Bengio (2015), "Neural Machine
  Translation by Jointly Learning to Align and Translate": at every output
  step the decoder scores every encoder state with a small feed-forward net
  and reads their weighted average. Those weights are the first attention
  maps of NMT: rows = target positions, columns = source tokens, as ours.

    >>> from core.seq2seq import load_rnn_translator
    >>> tr = load_rnn_translator("pretrained/seq2seq/multi30k-en-de-bahdanau")
    >>> res = tr.translate("A man rides a bike.")
    >>> res.text, res.alignment.shape   # (tgt_len, src_len)
"""

from .checkpoint import load_rnn_translator
from .config import RNNConfig
from .model import EncoderStates, RNNSeq2Seq
from .translator import RNNTranslation, RNNTranslator

__all__ = [
    "EncoderStates",
    "RNNConfig",
    "RNNSeq2Seq",
    "RNNTranslation",
    "RNNTranslator",
    "load_rnn_translator",
]
