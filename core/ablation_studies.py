"""Four experiments that take a trained Transformer apart (the "Take it apart" page).

Each function runs the shipped model on one sentence twice — as trained and
with one part switched off (``core.ablation.Ablation``) — and returns both
results as plain numpy arrays, so a page, a notebook or a test can read them:

1. ``permutation_check`` — §3.5: "since our model contains no recurrence and
   no convolution, in order for the model to make use of the order of the
   sequence, we must inject some information about the relative or absolute
   position". Without the positional encoding the encoder is
   permutation-equivariant: shuffle the words and its self-attention is the
   original one with rows and columns shuffled the same way, exactly.
2. ``scaling_effect`` — §3.2.1: without 1/√d_k the dot products grow with
   d_k and "push the softmax function into regions where it has extremely
   small gradients": lower entropy, higher maximum weight.
3. ``look_ahead_effect`` and ``mask_training_comparison`` — §3.2.3: the
   decoder must not see the future. A model trained with the mask has never
   used the future, so removing the mask confuses it; a model trained without
   the mask learns to copy the answer and fails when it has to generate.
4. ``remove_heads`` (and ``core.head_importance``) — §3.2.2: what each head
   contributes (Michel et al., 2019; Voita et al., 2019).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from .ablation import Ablation
from .attention_quality import HeadStatistics, head_statistics
from .data import EncodedPair, collate, synthetic_pairs
from .decoding import greedy_decode
from .kinds import KIND_NAMES
from .translator import TranslationResult, Translator


# ------------------------------------------------------------------ helpers
def chosen_probabilities(result: TranslationResult) -> np.ndarray:
    """``(T,)`` the probability the model gave each token it chose."""
    return np.array([s.probability for s in result.steps], dtype=np.float64)


# ------------------------------------------------------- 1. positional encoding
def shuffled_order(word_spans: Sequence[tuple[int, int]], n_pieces: int, seed: int) -> list[int]:
    """A seeded shuffle of whole words; ``order[i]`` = the old position now at i.

    The last piece (``</s>``) stays last. Words move with all their pieces, so
    the shuffled sentence is made of exactly the same pieces. With two or more
    words the order is never the identity.
    """
    words = [(a, b) for a, b in word_spans if b <= n_pieces - 1]
    rng = random.Random(seed)
    shuffled = list(words)
    if len(words) > 1:
        while shuffled == words:
            rng.shuffle(shuffled)
    order = [i for a, b in shuffled for i in range(a, b)]
    return order + list(range(len(order), n_pieces))


@dataclass
class PermutationCheck:
    """The encoder on a sentence and on its shuffle, with and without positional encoding.

    Attributes:
        order: ``order[i]`` = original position of the piece now at position i.
        tokens, shuffled_tokens: source labels, original and shuffled order.
        shuffled_text: the shuffled pieces decoded back to text.
        no_pe, no_pe_shuffled: encoder self-attention without PE,
            ``(layers, heads, n, n)``, of the original and the shuffled input.
        with_pe, with_pe_shuffled: the same with PE (the model as trained).
        max_diff_no_pe: max |A_shuffled − P A Pᵀ| without PE (≈ 1e-7: equivariant).
        max_diff_with_pe: the same with PE (large: order matters).
        translation, translation_no_pe: the original sentence translated by
            the model as trained and without PE (both sides).
        shuffled_translation, shuffled_translation_no_pe: the shuffled one.
    """

    order: list[int]
    tokens: list[str]
    shuffled_tokens: list[str]
    shuffled_text: str
    no_pe: np.ndarray
    no_pe_shuffled: np.ndarray
    with_pe: np.ndarray
    with_pe_shuffled: np.ndarray
    max_diff_no_pe: float
    max_diff_with_pe: float
    translation: str
    translation_no_pe: str
    shuffled_translation: str
    shuffled_translation_no_pe: str

    @property
    def realigned_no_pe(self) -> np.ndarray:
        """P A Pᵀ: the original no-PE maps with rows and columns put in the shuffled order."""
        return self.no_pe[..., self.order, :][..., self.order]


NO_POSITIONS = Ablation(encoder_positions=False, decoder_positions=False)


def _encoder_maps(translator: Translator, ids: list[int], ablation: Ablation | None) -> np.ndarray:
    with torch.inference_mode():
        encoded = translator.model.encode(torch.tensor([ids]), need_attention=True, ablation=ablation)
    return torch.stack([a.weights[0] for a in encoded.self_attention]).double().numpy()  # (layers, heads, n, n)


def _greedy_text(translator: Translator, ids: list[int], ablation: Ablation | None) -> str:
    with torch.inference_mode():
        hyp = greedy_decode(translator.model, torch.tensor([ids]), [translator.default_max_len(len(ids))], record=False,
                            ablation=ablation)[0]
    return translator.target_tokenizer.decode(hyp.token_ids)


def permutation_check(translator: Translator, text: str, seed: int = 0) -> PermutationCheck:
    """Shuffle the words of ``text`` and compare the encoder's self-attention (§3.5).

    Raises:
        NothingToTranslate: ``text`` is empty after cleaning.
    """
    ids, labels, _ = translator.prepare_source(text)
    order = shuffled_order(translator.source_tokenizer.word_spans(ids), len(ids), seed)
    shuffled_ids = [ids[i] for i in order]
    no_pe, no_pe_shuffled = _encoder_maps(translator, ids, NO_POSITIONS), _encoder_maps(translator, shuffled_ids, NO_POSITIONS)
    with_pe, with_pe_shuffled = _encoder_maps(translator, ids, None), _encoder_maps(translator, shuffled_ids, None)

    def realign(a: np.ndarray) -> np.ndarray:
        return a[..., order, :][..., order]

    return PermutationCheck(
        order=order,
        tokens=labels,
        shuffled_tokens=[labels[i] for i in order],
        shuffled_text=translator.source_tokenizer.decode(shuffled_ids[:-1]),
        no_pe=no_pe,
        no_pe_shuffled=no_pe_shuffled,
        with_pe=with_pe,
        with_pe_shuffled=with_pe_shuffled,
        max_diff_no_pe=float(np.abs(no_pe_shuffled - realign(no_pe)).max()),
        max_diff_with_pe=float(np.abs(with_pe_shuffled - realign(with_pe)).max()),
        translation=_greedy_text(translator, ids, None),
        translation_no_pe=_greedy_text(translator, ids, NO_POSITIONS),
        shuffled_translation=_greedy_text(translator, shuffled_ids, None),
        shuffled_translation_no_pe=_greedy_text(translator, shuffled_ids, NO_POSITIONS),
    )


# ------------------------------------------------------------- 2. no 1/√d_k
@dataclass
class AblationComparison:
    """One sentence translated by the model as trained and by an ablated copy.

    Attributes:
        ablation: what was switched off.
        normal, ablated: the two ``TranslationResult``s (each with its own maps).
        normal_stats, ablated_stats: ``HeadStatistics`` per attention kind.
        normal_probs, ablated_probs: ``(T,)`` probability of each chosen token.
    """

    ablation: Ablation
    normal: TranslationResult
    ablated: TranslationResult
    normal_stats: dict[str, HeadStatistics]
    ablated_stats: dict[str, HeadStatistics]

    @property
    def normal_probs(self) -> np.ndarray:
        return chosen_probabilities(self.normal)

    @property
    def ablated_probs(self) -> np.ndarray:
        return chosen_probabilities(self.ablated)

    @property
    def same_translation(self) -> bool:
        return self.normal.output_ids == self.ablated.output_ids


def compare(translator: Translator, text: str, ablation: Ablation, beam_size: int = 1) -> AblationComparison:
    """Translate ``text`` as trained and with ``ablation``; both with every map recorded."""
    normal = translator.translate(text, beam_size=beam_size)
    ablated = translator.translate(text, beam_size=beam_size, ablation=ablation)

    def stats(res: TranslationResult) -> dict[str, HeadStatistics]:
        return {kind: head_statistics([res.attention.get(kind)], kind) for kind in KIND_NAMES}

    return AblationComparison(ablation, normal, ablated, stats(normal), stats(ablated))


def unscaled(kinds: Sequence[str], layers: Sequence[int]) -> Ablation:
    """An ``Ablation`` without 1/√d_k in the given kinds × layers (0-based)."""
    return Ablation(unscaled=frozenset((k, l) for k in kinds for l in layers))


def scaling_effect(translator: Translator, text: str, kinds: Sequence[str], layers: Sequence[int]) -> AblationComparison:
    """``compare`` with the scaling removed in ``kinds`` × ``layers`` (§3.2.1)."""
    return compare(translator, text, unscaled(kinds, layers))


# ----------------------------------------------------------- 3. look-ahead mask
@dataclass
class LookAheadEffect:
    """A teacher-forced pass on the model's own translation, with and without the mask.

    Attributes:
        input_tokens: decoder input labels ``<s> y_1 …`` (rows and columns).
        output_tokens: what each row predicts ``y_1 … </s>``.
        masked, unmasked: decoder self-attention ``(layers, heads, T, T)``.
        future_mass: ``(layers, T)`` head-averaged weight each position puts
            on keys after itself without the mask (0 with it, by construction).
        loss_masked, loss_unmasked: ``(T,)`` −log p(y_t) of each output token.
    """

    input_tokens: list[str]
    output_tokens: list[str]
    masked: np.ndarray
    unmasked: np.ndarray
    future_mass: np.ndarray
    loss_masked: np.ndarray
    loss_unmasked: np.ndarray


def future_mass(maps: np.ndarray) -> np.ndarray:
    """``(layers, T)``: per position, the head-averaged weight on strictly later keys."""
    T = maps.shape[-1]
    future = np.triu(np.ones((T, T), dtype=bool), k=1)
    return (maps * future).sum(-1).mean(1)


def _teacher_forced(translator: Translator, src: list[int], tgt_in: list[int], out: list[int],
                    ablation: Ablation | None) -> tuple[np.ndarray, np.ndarray]:
    with torch.inference_mode():
        logits, maps = translator.model(torch.tensor([src]), torch.tensor([tgt_in]), need_attention=True,
                                        ablation=ablation)
    log_probs = torch.log_softmax(logits[0].double(), dim=-1)  # (T, vocab)
    loss = -log_probs.gather(1, torch.tensor(out)[:, None])[:, 0]
    return maps.decoder_self[0].double().numpy(), loss.numpy()


def look_ahead_effect(translator: Translator, text: str) -> LookAheadEffect:
    """Remove the look-ahead mask in a teacher-forced pass on the greedy translation (§3.2.3)."""
    res = translator.translate(text)
    src, tgt_in, out = res.source_ids, res.target_ids, res.output_ids
    masked, loss_masked = _teacher_forced(translator, src, tgt_in, out, None)
    unmasked, loss_unmasked = _teacher_forced(translator, src, tgt_in, out, Ablation(look_ahead_mask=False))
    return LookAheadEffect(res.target_tokens, res.output_tokens, masked, unmasked, future_mass(unmasked),
                           loss_masked, loss_unmasked)


@dataclass
class MaskTrainingRow:
    """How one toy model does on the same test strings.

    Attributes:
        name: the model's name.
        trained_with_mask: its config's ``look_ahead_mask``.
        teacher_forced_loss: mean −log p per target token, in teacher forcing
            with the mask the model was trained with.
        teacher_forced_accuracy: fraction of target tokens whose argmax is right in teacher forcing.
        free_running_accuracy: fraction of test strings generated exactly right
            (greedy, token by token, as at inference).
        free_running_token_accuracy: fraction of output positions right.
    """

    name: str
    trained_with_mask: bool
    teacher_forced_loss: float
    teacher_forced_accuracy: float
    free_running_accuracy: float
    free_running_token_accuracy: float


def mask_training_row(translator: Translator, sources: Sequence[str], references: Sequence[str]) -> MaskTrainingRow:
    """Teacher-forced loss and free-running accuracy of one toy model on the same strings.

    The teacher-forced pass runs all strings as one padded batch (padding is
    masked and left out of the loss), the free-running one greedily, batched.
    """
    cfg = translator.config
    pairs = [EncodedPair(translator.prepare_source(s)[0], translator.target_tokenizer.encode(r) + [cfg.eos_id])
             for s, r in zip(sources, references)]
    batch = collate(pairs, list(range(len(pairs))), cfg.pad_id, cfg.bos_id)  # decoder input = <s> + target[:-1]
    with torch.inference_mode():
        logits, _ = translator.model(batch.src, batch.tgt_in, need_attention=False)
    log_probs = torch.log_softmax(logits.double(), dim=-1)  # (batch, T, vocab)
    target = batch.tgt_out
    real = target != cfg.pad_id
    token_lp = log_probs.gather(-1, target[..., None])[..., 0]
    count = batch.n_tokens
    total = float(-(token_lp * real).sum())
    right = int(((log_probs.argmax(-1) == target) & real).sum())
    outputs = translator.translate_texts(list(sources))
    exact = [o.split() == r.split() for o, r in zip(outputs, references)]
    token_right = token_total = 0
    for o, r in zip(outputs, references):
        hyp, ref = o.split(), r.split()
        token_total += len(ref)
        token_right += sum(a == b for a, b in zip(hyp, ref))
    return MaskTrainingRow(
        name=translator.name,
        trained_with_mask=cfg.look_ahead_mask,
        teacher_forced_loss=total / max(count, 1),
        teacher_forced_accuracy=right / max(count, 1),
        free_running_accuracy=sum(exact) / max(len(exact), 1),
        free_running_token_accuracy=token_right / max(token_total, 1),
    )


def toy_test_pairs(count: int = 200, seed: int = 12345) -> list[tuple[str, str]]:
    """Fresh letters-reversal strings (3–10 letters), the same for both toy models."""
    return synthetic_pairs("reverse", count, 3, 10, seed=seed)


def mask_training_comparison(with_mask: Translator, without_mask: Translator,
                             pairs: Sequence[tuple[str, str]] | None = None) -> list[MaskTrainingRow]:
    """The toy trained with the look-ahead mask next to the one trained without it."""
    pairs = list(pairs) if pairs is not None else toy_test_pairs()
    sources, refs = [s for s, _ in pairs], [r for _, r in pairs]
    return [mask_training_row(m, sources, refs) for m in (with_mask, without_mask)]


@dataclass
class TeacherForcedView:
    """One toy model's decoder self-attention in teacher forcing on a reference.

    Attributes:
        input_tokens / output_tokens: rows' decoder inputs and what they should predict.
        decoder_self: ``(layers, heads, T, T)`` with the model's own training mask.
        predicted: argmax token label per row (teacher forcing).
        generated: the model's free-running greedy output for the source.
        next_token_mass: ``(layers,)`` head-averaged weight on the very next
            position (j = i + 1): where the answer sits when nothing masks it.
    """

    input_tokens: list[str]
    output_tokens: list[str]
    decoder_self: np.ndarray
    predicted: list[str]
    generated: str
    next_token_mass: np.ndarray


def teacher_forced_view(translator: Translator, source: str, reference: str) -> TeacherForcedView:
    """What a toy model attends to when it is given the reference as decoder input."""
    cfg = translator.config
    tok = translator.target_tokenizer
    src = translator.prepare_source(source)[0]
    out = tok.encode(reference)[: cfg.max_positions - 1] + [cfg.eos_id]
    tgt_in = [cfg.bos_id] + out[:-1]
    with torch.inference_mode():
        logits, maps = translator.model(torch.tensor([src]), torch.tensor([tgt_in]), need_attention=True)
    dec = maps.decoder_self[0].double().numpy()
    T = dec.shape[-1]
    nxt = np.array([[dec[l, :, i, i + 1].mean() for i in range(T - 1)] for l in range(dec.shape[0])])
    return TeacherForcedView(
        input_tokens=tok.labels(tgt_in),
        output_tokens=tok.labels(out),
        decoder_self=dec,
        predicted=tok.labels(logits[0].argmax(-1).tolist()),
        generated=translator.translate_texts([source])[0],
        next_token_mass=nxt.mean(-1) if T > 1 else np.zeros(dec.shape[0]),
    )


# ----------------------------------------------------------------- 4. heads
def remove_heads(translator: Translator, text: str, heads: Sequence[tuple[str, int, int]]) -> AblationComparison:
    """``compare`` with the given (kind, layer, head) triples (0-based) switched off."""
    return compare(translator, text, Ablation(removed_heads=frozenset(heads)))
