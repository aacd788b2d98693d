"""Hugging Face encoder–decoders behind the ``Translator`` API (issue: production models too).

Tiny random models of every supported architecture are built here
(``tests/hf_support.py``); what the translator reports is checked against the
library's own ``output_attentions`` and ``generate``.
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest
import torch

pytest.importorskip("transformers")

from core import CheckpointError, NothingToTranslate, load_translator  # noqa: E402
from core.ablation import Ablation  # noqa: E402
from core.hf import HFFolderError, guess_languages, is_hf_folder, open_hf_folder  # noqa: E402
from core.hf.capture import attention_modules, capture_inputs  # noqa: E402
from hf_support import ARCHITECTURES  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TEXT = "A man in a blue shirt rides a bike."
TOL = 1e-5


@pytest.fixture(scope="module")
def translators(hf_folders):
    return {arch: load_translator(folder) for arch, folder in hf_folders.items()}


def library_pass(tr, src_ids: list[int], tgt_ids: list[int]):
    """The library's own teacher-forced forward pass with every attention returned."""
    with torch.inference_mode():
        return tr.model.hf(
            input_ids=torch.tensor([src_ids]), decoder_input_ids=torch.tensor([tgt_ids]),
            output_attentions=True, return_dict=True, use_cache=False,
        )


def stacked(attentions) -> np.ndarray:
    return torch.stack(attentions, dim=1)[0].float().numpy()  # (layers, heads, q, k)


@pytest.mark.parametrize("arch", ARCHITECTURES)
@pytest.mark.parametrize("beam", [1, 3])
def test_maps_equal_the_librarys_teacher_forced_attentions(translators, arch, beam):
    tr = translators[arch]
    res = tr.translate(TEXT, beam_size=beam, max_len=12)
    out = library_pass(tr, res.source_ids, res.target_ids)
    for kind, theirs in (("encoder_self", out.encoder_attentions), ("decoder_self", out.decoder_attentions),
                         ("cross", out.cross_attentions)):
        ours = res.attention.get(kind)
        assert ours.shape == stacked(theirs).shape
        assert np.abs(ours - stacked(theirs)).max() <= TOL, (arch, kind)
    for step in res.steps:  # per-step rows = teacher-forced rows
        assert np.abs(step.cross_attention - stacked(out.cross_attentions)[:, :, step.index]).max() <= TOL
        assert np.abs(step.self_attention - stacked(out.decoder_attentions)[:, :, step.index, : step.index + 1]).max() <= TOL


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_rows_sum_to_one_and_future_cells_are_exactly_zero(translators, arch):
    res = translators[arch].translate(TEXT, max_len=10)
    for kind in ("encoder_self", "decoder_self", "cross"):
        assert np.allclose(res.attention.get(kind).sum(-1), 1.0, atol=1e-5)
    dec = res.attention.decoder_self
    future = np.triu(np.ones(dec.shape[-2:], dtype=bool), k=1)
    assert (dec[..., future] == 0.0).all()


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_greedy_output_is_the_librarys_generate(translators, arch):
    tr = translators[arch]
    res = tr.translate(TEXT, max_len=10)
    gen = tr.model.hf.generation_config
    kwargs = dict(num_beams=1, do_sample=False, max_new_tokens=10, min_length=0, no_repeat_ngram_size=0,
                  forced_eos_token_id=None, bad_words_ids=gen.bad_words_ids, forced_bos_token_id=tr.model.forced_bos_id)
    with torch.inference_mode():
        generated = tr.model.hf.generate(torch.tensor([res.source_ids]), **kwargs)[0].tolist()
    theirs = generated[1:]  # the library's output starts with the decoder start token
    if tr.config.eos_id in theirs:
        theirs = theirs[: theirs.index(tr.config.eos_id) + 1]
    assert generated[0] == tr.config.bos_id == res.target_ids[0]
    assert res.output_ids == theirs


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_axes_carry_the_tokenizers_tokens(translators, arch):
    tr = translators[arch]
    res = tr.translate(TEXT, max_len=8)
    hf_tok = tr.source_tokenizer.hf
    src = hf_tok(tr.source_tokenizer.prefix + TEXT)["input_ids"]
    assert res.source_ids == src
    assert len(res.source_tokens) == res.attention.encoder_self.shape[-1] == res.attention.cross.shape[-1]
    assert len(res.target_tokens) == res.attention.cross.shape[-2] == res.attention.decoder_self.shape[-1]
    assert res.target_tokens[1:] == res.output_tokens[:-1]  # row t is fed y_t and predicts y_{t+1}
    assert res.target_special[0]  # the decoder start token
    eos = res.source_ids.index(tr.config.eos_id)
    assert res.source_special[eos] and res.source_tokens[eos] == "</s>"
    assert all(label and "\u2581" not in label[1:] and "Ġ" not in label for label in res.source_tokens)
    assert "man" in res.source_tokens


def test_language_codes_are_forced_flagged_and_kept_out_of_the_text(translators):
    for arch, code in (("mbart", "de_DE"), ("m2m_100", "__de__")):
        res = translators[arch].translate(TEXT, max_len=6)
        assert res.output_tokens[0] == code and res.output_special[0]
        assert res.steps[0].probability == pytest.approx(1.0)
        assert code not in res.text
    assert translators["mbart"].translate(TEXT).source_tokens[-1] == "en_XX"
    assert translators["m2m_100"].translate(TEXT).source_tokens[0] == "__en__"


def test_t5_reads_its_task_prefix_from_the_config(translators):
    tr = translators["t5"]
    assert tr.source_tokenizer.prefix == "translate English to German: "
    assert tr.translate(TEXT, max_len=4).source_tokens[-2] == "##."  # the sentence follows the prefix


def test_byte_level_labels_are_readable_text(translators):
    res = translators["bart"].translate("Straße im Schnee", max_len=4)
    joined = "".join(label.removeprefix("##") for label in res.source_tokens[1:-1])
    assert joined == "StraßeimSchnee"
    assert res.source_tokens[1][:2] != "##"  # the first word has no Ġ but starts a word


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_inspect_batch_pads_masks_and_scores(translators, arch):
    tr = translators[arch]
    batch = tr.inspect_batch(["Two dogs play.", TEXT], ["Zwei Hunde spielen.", "Ein Mann fährt Fahrrad."])
    maps = batch.maps
    short = int(maps.src_mask[0, 0, 0].sum())
    assert short < maps.src_mask.shape[-1]
    assert (maps.encoder_self[0][..., short:] == 0).all()  # padded keys get exactly zero weight
    assert (maps.cross[0][..., short:] == 0).all()
    blocked = ~maps.tgt_mask[:, None].expand_as(maps.decoder_self)
    assert (maps.decoder_self[blocked] == 0).all()
    assert batch.source_tokens[0][-1] == "<pad>" or batch.source_tokens[0][-1] == tr.source_tokenizer.label(tr.config.pad_id)
    if arch in ("t5", "mt5"):
        assert maps.cross_scores is None
        return
    for kind in ("encoder_self", "decoder_self", "cross"):
        scores, weights = getattr(maps, f"{kind}_scores"), getattr(maps, kind)
        mask = maps.src_mask if kind != "decoder_self" else maps.tgt_mask
        rebuilt = torch.softmax(scores.masked_fill(~mask[:, None], float("-inf")), dim=-1)
        live = mask[:, None].expand_as(weights).any(-1)
        assert (rebuilt - weights)[live].abs().max() <= TOL, kind


@pytest.mark.parametrize("arch", ["marian", "bart", "mbart", "m2m_100"])
@pytest.mark.parametrize("kind", ["encoder_self", "decoder_self", "cross"])
def test_trace_layer_matches_the_library(translators, arch, kind):
    tr = translators[arch]
    res = tr.translate(TEXT, max_len=8)
    out = library_pass(tr, res.source_ids, res.target_ids)
    library = {"encoder_self": out.encoder_attentions, "decoder_self": out.decoder_attentions, "cross": out.cross_attentions}
    trace = tr.trace_layer(TEXT, kind, 1, target_ids=res.target_ids)
    assert np.abs(trace.weights - stacked(library[kind])[1]).max() <= TOL
    assert np.allclose(trace.head_contributions.sum(0) + trace.output_bias, trace.output, atol=1e-5)
    assert trace.q.shape == (tr.config.n_heads, len(trace.query_tokens), tr.config.d_head)
    assert trace.key_tokens == (res.source_tokens if kind != "decoder_self" else res.target_tokens)


def test_t5_trace_says_why_it_does_not_apply(translators):
    with pytest.raises(ValueError, match="relative-position bias"):
        translators["t5"].trace_layer(TEXT, "cross", 0)
    assert translators["t5"].unsupported_views["trace"] == "relative_bias"
    assert "trace" not in translators["marian"].unsupported_views


def test_hooks_record_only_the_thread_that_opened_them(translators):
    tr = translators["marian"]
    modules = attention_modules(tr.model.hf, "bart")
    with capture_inputs(modules) as captured:
        worker = threading.Thread(target=lambda: tr.translate(TEXT, max_len=4))
        worker.start()
        worker.join()
    assert all(entry is None for entries in captured.values() for entry in entries)
    assert not any(m._forward_pre_hooks for mods in modules.values() for m in mods)  # removed on exit


def test_bad_input_and_ablations_get_clear_errors(translators):
    tr = translators["marian"]
    with pytest.raises(NothingToTranslate):
        tr.translate(" \x00 ")
    with pytest.raises(ValueError, match="own models"):
        tr.translate(TEXT, ablation=Ablation())
    long = tr.translate("dog " * 200, max_len=3)
    assert long.truncated and len(long.source_ids) == tr.config.max_positions and long.source_tokens[-1] == "</s>"
    res = tr.translate("😀 <b>$x$</b> 안녕", max_len=3)
    assert res.source_tokens and np.isfinite(res.attention.cross).all()
    assert tr.translate_texts(["", TEXT], max_len=5)[0] == ""


def test_folder_detection_and_errors(hf_folders, tmp_path, monkeypatch):
    marian = hf_folders["marian"]
    assert is_hf_folder(marian) and not is_hf_folder("pretrained/toy-reverse")
    assert guess_languages("opus-mt-tc-big-en-ko") == ("en", "ko") and guess_languages("bart-base") == ("?", "?")
    broken = tmp_path / "opus-mt-xx-yy"
    shutil.copytree(marian, broken)
    (broken / "model.safetensors").unlink()
    with pytest.raises(CheckpointError, match="has no weights"):
        load_translator(broken)
    config = json.loads((marian / "config.json").read_text())
    (broken / "config.json").write_text(json.dumps({**config, "model_type": "gpt2"}))
    with pytest.raises(HFFolderError, match="'gpt2'"):
        open_hf_folder(broken)
    monkeypatch.setattr("core.hf.loader.transformers_available", lambda: False)
    with pytest.raises(CheckpointError, match="install transformers=="):
        load_translator(marian)


def test_sidecar_overrides_languages_and_card(hf_folders):
    tr = load_translator(hf_folders["marian"])
    assert (tr.info.source_language, tr.info.target_language) == ("en", "de")
    assert tr.info.metadata["quality"] == "as published by the test suite"
    assert tr.info.metadata["huggingface"]["parameters"] == sum(p.numel() for p in tr.model.hf.parameters())


@pytest.mark.parametrize("arch", ARCHITECTURES)
def test_the_card_counts_the_models_parameters_without_loading_it(hf_folders, translators, arch):
    card_count = open_hf_folder(hf_folders[arch]).parameter_count()
    assert card_count == sum(p.numel() for p in translators[arch].model.hf.parameters())


def test_a_padded_batch_gives_the_one_by_one_results(translators):
    tr = translators["marian"]
    texts = ["Two dogs.", TEXT, "A woman sings on a stage while people watch."]
    batch = tr.translate_batch(texts, max_len=8)
    for text, together in zip(texts, batch):
        alone = tr.translate(text, max_len=8)
        assert together.output_ids == alone.output_ids
        assert np.abs(together.attention.cross - alone.attention.cross).max() <= TOL


def test_without_transformers_our_models_open_and_hugging_face_folders_name_the_fix(hf_folders):
    """A process where ``transformers`` cannot be imported (``sys.modules`` entry ``None``)."""
    import subprocess
    import sys

    script = f"""
import sys
sys.modules["transformers"] = None
from core import CheckpointError, load_translator
from core.hf import transformers_available
assert not transformers_available()
print(load_translator("pretrained/toy-reverse").translate("a b c").text)
try:
    load_translator({str(hf_folders["marian"])!r})
except CheckpointError as exc:
    print("refused:", exc)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=str(ROOT))
    assert out.returncode == 0, out.stderr[-2000:]
    assert "refused:" in out.stdout and "install transformers==5.18.0" in out.stdout


def test_opening_a_model_while_the_library_preloads_waits_for_it(hf_folders):
    """A fresh process: the app's background preload and a session's first load at the same moment
    (before the fix the load saw a half-imported ``transformers``: no attribute ``AutoTokenizer``)."""
    import subprocess
    import sys

    script = f"""
import threading
from core.hf import preload_library
from core import load_translator
worker = threading.Thread(target=preload_library, args=(["marian", "t5", "m2m_100"],))
worker.start()
tr = load_translator({str(hf_folders["marian"])!r})
print("ok", len(tr.translate("A man rides a bike.", max_len=4).output_ids))
worker.join()
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=180, cwd=str(ROOT))
    assert out.returncode == 0, out.stderr[-2000:]
    assert "ok 4" in out.stdout


def test_encoding_targets_in_one_thread_never_changes_another_threads_sources(translators):
    """A tokenizer switches state for targets (mBART: the target language code; Marian: the target
    sentencepiece model): the target side has its own copy, so sessions do not see each other's."""
    tr = translators["mbart"]
    expected = tr.prepare_source(TEXT)[0]
    assert expected[-1] == tr.source_tokenizer.hf.convert_tokens_to_ids("en_XX")
    stop = threading.Event()

    def targets() -> None:
        while not stop.is_set():
            tr.target_tokenizer.encode_with_specials("Ein Mann fährt Fahrrad.")

    worker = threading.Thread(target=targets)
    worker.start()
    try:
        wrong = sum(tr.prepare_source(TEXT)[0] != expected for _ in range(300))
    finally:
        stop.set()
        worker.join()
    assert wrong == 0
    assert tr.source_tokenizer.hf is not tr.target_tokenizer.hf


def test_a_hook_removed_during_another_threads_forward_does_nothing(translators):
    tr = translators["marian"]
    module = attention_modules(tr.model.hf, "bart")["encoder_self"][0]
    with capture_inputs({"encoder_self": [module]}) as captured:
        hook = next(iter(module._forward_pre_hooks.values()))
        hook(module, (torch.zeros(1, 2, tr.config.d_model),))  # how torch calls a just-removed kwargs hook
    assert captured["encoder_self"][0] is None


def test_language_codes_are_checked_with_a_hint(hf_folders, tmp_path):
    folder = tmp_path / "m2m-xx"
    shutil.copytree(hf_folders["m2m_100"], folder)
    sidecar = json.loads((folder / "attention-lab.json").read_text())
    for bad in ({"tgt_lang": "__de__"}, {"src_lang": "xx"}):
        (folder / "attention-lab.json").write_text(json.dumps({**sidecar, **bad}))
        with pytest.raises(CheckpointError, match='two letters such as "de"'):
            load_translator(folder)
    # no tgt_lang in the sidecar: the tokenizer's saved one is used (M2M-100 saves it)
    (folder / "attention-lab.json").write_text(json.dumps({k: v for k, v in sidecar.items() if k != "tgt_lang"}))
    assert load_translator(folder).translate(TEXT, max_len=2).output_tokens[0] == "__de__"


def test_ids_the_tokenizer_lacks_get_a_label_and_the_truncation_limit_counts_both_specials(translators):
    tr = translators["t5"]
    beyond = tr.source_tokenizer.vocab_size + 3
    assert tr.target_tokenizer.label(beyond) == f"<id {beyond}>"
    assert tr.target_tokenizer.decode([beyond, 5]) == tr.target_tokenizer.decode([5])
    mbart = translators["mbart"]
    assert mbart.max_source_tokens == mbart.config.max_positions - 2  # </s> and the language code
    assert translators["marian"].max_source_tokens == translators["marian"].config.max_positions - 1



@pytest.mark.parametrize("arch", ["bart", "marian"])
def test_step_candidates_are_labelled_one_by_one_and_the_chosen_one_is_among_them(translators, arch):
    """The top-5 of a step are alternatives, not a sentence: each is labelled alone
    (``label``), and greedy's chosen piece is the first of them, found by id."""
    tr = translators[arch]
    res = tr.translate("Straße im Schnee", max_len=6)
    tokens = tr.target_tokenizer
    for step in res.steps:
        assert step.top_tokens == [tokens.label(i) for i in step.top_ids]
        assert step.top_ids[0] == step.token_id


def test_a_batch_of_very_different_lengths_gives_the_one_by_one_results(translators):
    """Eight short sentences and two long ones (our Transformers encode such a batch in length
    groups, core.length_groups): a Hugging Face model's batch still equals its one-by-one results."""
    tr = translators["marian"]
    texts = ["Dogs.", "A cat.", "Rain.", "Kids.", "A car.", "Birds.", "Snow.", "A hat.",
             "A man in a blue shirt and a woman in a red dress walk down a busy street past many shops.",
             "Three young children are playing with a large brown dog in the green grass near a house."]
    batch = tr.translate_batch(texts, max_len=8)
    for text, together in zip(texts, batch):
        alone = tr.translate(text, max_len=8)
        assert together.output_ids == alone.output_ids
        assert np.abs(together.attention.cross - alone.attention.cross).max() <= TOL
        assert np.abs(together.attention.encoder_self - alone.attention.encoder_self).max() <= TOL
    assert tr.translate_texts(texts, max_len=8) == [r.text for r in batch]
