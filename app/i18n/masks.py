"""Strings of the masks lesson (padding and look-ahead masks). ``{key: {"en": …, "ko": …}}``, both languages side by side."""

STRINGS: dict[str, dict[str, str]] = {
    "masks.title": {"en": "Masks: padding and look-ahead", "ko": "마스킹 (Masking): 패딩 마스크와 룩어헤드 마스크"},
    "masks.intro": {
        "en": "Sentences of different lengths share one batch, so the shorter ones are filled with `<pad>`. "
        "The **padding mask** stops every query from attending to those `<pad>` keys. In the decoder, the **look-ahead mask** "
        "stops position *i* from seeing positions after *i*: when the model generates, those tokens do not exist yet. "
        "Masking works on the scores *before* the softmax: blocked cells are set to −∞, and because exp(−∞) = 0 they get "
        "weight exactly 0 (§3.2.3: “masking out (setting to −∞) all values in the input of the softmax which correspond to illegal connections”).",
        "ko": "길이가 다른 문장들이 한 배치(batch)에 들어가면 짧은 문장은 `<pad>`로 채워집니다. "
        "**패딩 마스크**(padding mask)는 모든 쿼리(query)가 이 `<pad>` 키(key)에 어텐션(attention)하지 못하게 막습니다. "
        "디코더에서는 **룩어헤드 마스크**(look-ahead mask)가 위치 *i*가 *i* 이후의 위치를 보지 못하게 막습니다. 생성할 때는 그 토큰들이 아직 없기 때문입니다. "
        "마스킹(masking)은 소프트맥스(softmax) *이전*의 점수에 적용됩니다. 막힌 칸은 −∞가 되고, exp(−∞) = 0이므로 가중치가 정확히 0이 됩니다 "
        "(§3.2.3: “허용되지 않는 연결에 해당하는 소프트맥스 입력값을 모두 −∞로 설정하여 가린다”).",
    },
    "masks.second": {"en": "Second sentence in the same batch", "ko": "같은 배치의 두 번째 문장"},
    "masks.second_help": {
        "en": "Leave it empty to use an example of a different length (shown greyed), so that one of the two sentences needs padding.",
        "ko": "비워 두면 길이가 다른 예문(회색으로 표시)을 사용합니다. 그래야 두 문장 중 하나에 패딩이 필요합니다.",
    },
    "masks.second_unusable": {
        "en": "The second sentence has no characters to translate, so the automatic one is used.",
        "ko": "두 번째 문장에 번역할 문자가 없어 자동으로 고른 문장을 사용합니다.",
    },
    "masks.batch_header": {"en": "The batch", "ko": "배치 (batch)"},
    "masks.batch_explain": {
        "en": "Both sentences are padded to the longest one: **{src}** source positions and **{tgt}** decoder positions "
        "(the decoder input is `<s>` followed by the model's own translation). Greyed chips are special tokens.",
        "ko": "두 문장 모두 가장 긴 문장에 맞춰 패딩됩니다: 소스 위치 **{src}**개, 디코더 위치 **{tgt}**개 "
        "(디코더 입력은 `<s>` 뒤에 모델 자신의 번역이 이어집니다). 회색 칩은 특수 토큰입니다.",
    },
    "masks.sentence_yours": {"en": "sentence 1 (yours)", "ko": "문장 1 (입력한 문장)"},
    "masks.sentence_second": {"en": "sentence 2", "ko": "문장 2"},
    "masks.chips_source": {"en": "{name} · source", "ko": "{name} · 소스"},
    "masks.chips_target": {"en": "{name} · decoder input", "ko": "{name} · 디코더 입력"},
    "masks.no_padding": {
        "en": "Both sentences have the same length, so nothing is padded. Type a longer or shorter second sentence to see the padding mask at work.",
        "ko": "두 문장의 길이가 같아 패딩이 없습니다. 패딩 마스크가 작동하는 모습을 보려면 더 길거나 짧은 두 번째 문장을 입력하세요.",
    },
    "masks.diagrams_header": {"en": "The three masks", "ko": "세 가지 마스크"},
    "masks.diagrams_explain": {
        "en": "Rows are queries, columns are keys. **Blue ✓** = may attend, **orange ✗** = blocked. "
        "The padding mask blocks `<pad>` *columns* (keys) in encoder self-attention and in encoder–decoder attention; "
        "the look-ahead mask blocks everything right of the diagonal; the decoder's self-attention uses both at once (their AND).",
        "ko": "행은 쿼리, 열은 키입니다. **파란색 ✓** = 어텐션 가능, **주황색 ✗** = 차단. "
        "패딩 마스크는 인코더 셀프 어텐션과 인코더–디코더 어텐션에서 `<pad>` *열*(키)을 막고, "
        "룩어헤드 마스크는 대각선 오른쪽을 모두 막습니다. 디코더 셀프 어텐션은 둘을 동시에(AND) 사용합니다.",
    },
    "masks.panel_padding": {"en": "padding (encoder self-attn.)", "ko": "패딩 (인코더 셀프 어텐션)"},
    "masks.panel_look_ahead": {"en": "look-ahead mask", "ko": "룩어헤드 마스크"},
    "masks.panel_decoder": {"en": "decoder: padding AND look-ahead", "ko": "디코더: 패딩 AND 룩어헤드"},
    "masks.diagrams_title": {
        "en": "Masks of the batch · the same for every layer and head · {model}",
        "ko": "배치의 마스크 · 모든 레이어와 헤드에서 동일 · {model}",
    },
    "masks.allowed": {"en": "may attend", "ko": "어텐션 가능"},
    "masks.blocked": {"en": "blocked", "ko": "차단됨"},
    "masks.stages_header": {"en": "Four stages inside one head", "ko": "한 헤드 안의 네 단계"},
    "masks.stages_explain": {
        "en": "For the chosen sentence, layer and head of the real model: the raw scores QKᵀ, the scaled scores QKᵀ/√d_k (§3.2.1), "
        "the scores after masking (−∞ in its own colour, not a number), and the softmax weights — blocked cells are exactly 0 and every row still sums to 1.",
        "ko": "선택한 문장, 레이어, 헤드에 대해 실제 모델의 값입니다: 원래 점수 QKᵀ, 스케일된 점수 QKᵀ/√d_k (§3.2.1), "
        "마스킹 후의 점수(−∞는 숫자가 아니라 별도 색), 그리고 소프트맥스 가중치 — 막힌 칸은 정확히 0이고 각 행의 합은 여전히 1입니다.",
    },
    "masks.sentence": {"en": "Sentence of the batch", "ko": "배치의 문장"},
    "masks.numbers": {"en": "Numbers in cells", "ko": "칸에 숫자 표시"},
    "masks.numbers_help": {
        "en": "Print the values in the cells (only for maps of at most 12 × 12).",
        "ko": "칸 안에 값을 표시합니다 (12 × 12 이하일 때만).",
    },
    "masks.numbers_too_long": {
        "en": "Numbers are printed only when both sides have at most {n} tokens; hover over a cell to read its value.",
        "ko": "숫자는 양쪽 모두 {n}개 토큰 이하일 때만 표시됩니다. 칸 위에 마우스를 올리면 값을 볼 수 있습니다.",
    },
    "masks.stage_raw": {"en": "① QKᵀ", "ko": "① QKᵀ"},
    "masks.stage_scaled": {"en": "② QKᵀ / √d_k", "ko": "② QKᵀ / √d_k"},
    "masks.stage_masked": {"en": "③ masked (blocked → −∞)", "ko": "③ 마스킹 (차단 → −∞)"},
    "masks.stage_softmax": {"en": "④ softmax weights", "ko": "④ 소프트맥스 가중치"},
    "masks.kind_explain.encoder_self": {
        "en": "Encoder self-attention uses the padding mask only: `<pad>` keys are blocked, every real key is allowed.",
        "ko": "인코더 셀프 어텐션은 패딩 마스크만 사용합니다: `<pad>` 키는 막히고 실제 키는 모두 허용됩니다.",
    },
    "masks.kind_explain.decoder_self": {
        "en": "Masked decoder self-attention uses padding AND look-ahead: the upper triangle and `<pad>` keys are −∞, so their weights are 0.",
        "ko": "마스크드 디코더 셀프 어텐션은 패딩 AND 룩어헤드를 사용합니다: 위쪽 삼각형과 `<pad>` 키가 −∞가 되어 가중치가 0입니다.",
    },
    "masks.kind_explain.cross": {
        "en": "Encoder–decoder attention: queries are decoder positions, keys are source positions; only the source padding mask applies (the whole source may be seen).",
        "ko": "인코더–디코더 어텐션: 쿼리는 디코더 위치, 키는 소스 위치입니다. 소스 패딩 마스크만 적용됩니다 (소스 전체를 볼 수 있습니다).",
    },
    "masks.stages_title": {
        "en": "{kind} · layer {layer} · head {head} · {sentence} · {model}",
        "ko": "{kind} · 레이어 {layer} · 헤드 {head} · {sentence} · {model}",
    },
    "masks.score": {"en": "score", "ko": "점수"},
    "masks.blocked_inf": {"en": "blocked (−∞)", "ko": "차단 (−∞)"},
    "masks.check": {
        "en": "Check: {blocked} blocked cells, all −∞ before the softmax; their largest weight after it: {max_blocked}. Rows sum to 1 within {row_error}.",
        "ko": "확인: 막힌 칸 {blocked}개, 소프트맥스 전에는 모두 −∞; 소프트맥스 후 그 칸들의 최대 가중치: {max_blocked}. 각 행의 합은 오차 {row_error} 이내로 1입니다.",
    },
}
