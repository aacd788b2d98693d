"""Strings of the multi-head attention lesson. ``{key: {"en": …, "ko": …}}``, both languages side by side."""

STRINGS: dict[str, dict[str, str]] = {
    "multihead.title": {"en": "Multi-head attention", "ko": "멀티-헤드 어텐션 (Multi-head attention)"},
    "multihead.intro": {
        "en": "Instead of one attention over all d_model dimensions, the layer runs h smaller attentions — **heads** — side by side (§3.2.2). "
        "Each head projects the same vectors into its own d_k = d_model / h dimensional queries, keys and values, so each can look for something else, "
        "like several channels. Their outputs are concatenated and mixed by W^O. The total cost is about that of one full-width head.",
        "ko": "모든 d_model 차원에 대해 어텐션을 한 번 하는 대신, 레이어는 작은 어텐션 h개 — **헤드(head)** — 를 나란히 실행합니다 (§3.2.2). "
        "각 헤드는 같은 벡터를 자기만의 d_k = d_model / h 차원의 쿼리, 키, 밸류로 투영(projection)하므로, 여러 채널처럼 각자 다른 것을 찾을 수 있습니다. "
        "출력들은 이어 붙여(concatenate) W^O로 섞습니다. 전체 계산량은 전체 폭의 헤드 하나와 비슷합니다.",
    },
    "multihead.kind": {"en": "Attention", "ko": "어텐션 종류"},
    "multihead.token": {"en": "token", "ko": "토큰"},
    "multihead.dimension": {"en": "dimension", "ko": "차원"},
    "multihead.split_header": {"en": "1 · One input, h projections", "ko": "1 · 입력 하나, 투영 h개"},
    "multihead.split_explain": {
        "en": "The layer's input X has one row of d_model = **{d_model}** numbers per token ({q} query rows, {k} key rows). "
        "Head i multiplies it by its own W_i^Q, W_i^K, W_i^V (each {d_model} × **{d_k}**): {h} heads × {d_k} dimensions = {d_model}.",
        "ko": "레이어 입력 X는 토큰마다 d_model = **{d_model}**개의 숫자로 된 행 하나를 가집니다 (쿼리 행 {q}개, 키 행 {k}개). "
        "헤드 i는 이를 자기만의 W_i^Q, W_i^K, W_i^V (각각 {d_model} × **{d_k}**)로 곱합니다: 헤드 {h}개 × {d_k}차원 = {d_model}.",
    },
    "multihead.input_title": {
        "en": "{kind} · layer {layer} · all heads · {model}: input X (the hidden state, {d_model} dims per token)",
        "ko": "{kind} · 레이어 {layer} · 모든 헤드 · {model}: 입력 X (은닉 상태, 토큰당 {d_model}차원)",
    },
    "multihead.cross_memory": {
        "en": "Encoder–decoder attention: the queries come from this decoder state; the keys and values come from the encoder output (the “memory”).",
        "ko": "인코더–디코더 어텐션: 쿼리는 이 디코더 상태에서, 키와 밸류는 인코더 출력(“메모리”)에서 옵니다.",
    },
    "multihead.qkv_title": {
        "en": "{kind} · layer {layer} · each head · {model}: Q, K, V with d_k = {d_k} dims per token",
        "ko": "{kind} · 레이어 {layer} · 헤드별 · {model}: 토큰당 d_k = {d_k}차원의 Q, K, V",
    },
    "multihead.heads_header": {"en": "2 · The heads specialise", "ko": "2 · 헤드는 각자 전문화됩니다"},
    "multihead.heads_explain": {
        "en": "Each head attends with its own Q and K. Trained heads often settle into habits: the previous or next token, the token itself, "
        "the end-of-sentence token as a resting place, or — for translation — the aligned source word.",
        "ko": "각 헤드는 자신의 Q와 K로 어텐션합니다. 학습된 헤드는 흔히 습관을 갖게 됩니다: 이전 또는 다음 토큰, 자기 자신, "
        "쉬는 자리로서의 문장 끝 토큰, 또는 — 번역에서는 — 정렬(alignment)된 소스 단어.",
    },
    "multihead.grid_title": {
        "en": "{kind} · layer {layer} · every head side by side (one colour scale) · {model}",
        "ko": "{kind} · 레이어 {layer} · 모든 헤드 나란히 (같은 색상 스케일) · {model}",
    },
    "multihead.habit.previous": {"en": "previous token", "ko": "이전 토큰"},
    "multihead.habit.self": {"en": "the token itself", "ko": "자기 자신"},
    "multihead.habit.self_cross": {"en": "aligned source position (diagonal)", "ko": "정렬된 소스 위치 (대각선)"},
    "multihead.habit.next": {"en": "next token", "ko": "다음 토큰"},
    "multihead.habit.back": {"en": "{n} tokens back", "ko": "{n}개 앞 토큰"},
    "multihead.habit.ahead": {"en": "{n} tokens ahead", "ko": "{n}개 뒤 토큰"},
    "multihead.habit.reverse": {"en": "mirrored position (reversed order)", "ko": "거울 위치 (역순)"},
    "multihead.habit.special": {"en": "special tokens (<s>, </s>)", "ko": "특수 토큰 (<s>, </s>)"},
    "multihead.habit.broad": {"en": "spread evenly", "ko": "고르게 분산"},
    "multihead.habit.focused": {"en": "sharp, content-dependent", "ko": "날카로움, 내용에 따라 다름"},
    "multihead.habit.mixed": {"en": "mixed", "ko": "혼합"},
    "multihead.col_habit": {"en": "habit on this sentence", "ko": "이 문장에서의 습관"},
    "multihead.col_share": {"en": "share", "ko": "비중"},
    "multihead.habit_caption": {
        "en": "Share = mean weight on the habit's key (for “spread evenly”: entropy relative to uniform). Special-token rows are left out. "
        "Habits are measured on this one sentence only.",
        "ko": "비중 = 습관에 해당하는 키의 평균 가중치 (“고르게 분산”은 균등 분포 대비 엔트로피). 특수 토큰 행은 제외합니다. "
        "습관은 이 한 문장에서만 측정한 것입니다.",
    },
    "multihead.similarity_title": {"en": "{kind} · layer {layer} · all heads", "ko": "{kind} · 레이어 {layer} · 모든 헤드"},
    "multihead.similarity_note": {
        "en": "how alike the heads' maps are (cosine) · {model}",
        "ko": "헤드 맵끼리의 유사도 (코사인) · {model}",
    },
    "multihead.cosine": {"en": "cosine similarity", "ko": "코사인 유사도"},
    "multihead.similarity_explain": {
        "en": "Cosine similarity of the heads' attention maps: 1 = the same pattern, low = different patterns. "
        "Mean between different heads here: **{mean}**. Different heads looking at different places is what makes h heads more useful than one.",
        "ko": "헤드 어텐션 맵 사이의 코사인 유사도: 1 = 같은 패턴, 낮을수록 다른 패턴. "
        "여기서 서로 다른 헤드 사이의 평균: **{mean}**. 헤드들이 서로 다른 곳을 보기 때문에 헤드 h개가 하나보다 유용합니다.",
    },
    "multihead.concat_header": {"en": "3 · Concatenate, then project with W^O", "ko": "3 · 이어 붙이고 W^O로 투영"},
    "multihead.concat_explain": {
        "en": "Each head returns {d_k} numbers per query (its weights × its V). The {h} outputs are put side by side — back to {d_model} columns — "
        "and multiplied by W^O ({d_model} × {d_model}), which mixes what the heads found.",
        "ko": "각 헤드는 쿼리마다 {d_k}개의 숫자를 돌려줍니다 (가중치 × 자기 V). {h}개의 출력을 나란히 이어 붙여 다시 {d_model}열로 만들고, "
        "W^O ({d_model} × {d_model})를 곱해 헤드들이 찾은 것을 섞습니다.",
    },
    "multihead.concat_title": {
        "en": "{kind} · layer {layer} · all heads · {model}: Concat(head₁ … head_h), one block per head",
        "ko": "{kind} · 레이어 {layer} · 모든 헤드 · {model}: Concat(head₁ … head_h), 헤드마다 한 블록",
    },
    "multihead.output_title": {
        "en": "{kind} · layer {layer} · all heads · {model}: output = Concat · W^O",
        "ko": "{kind} · 레이어 {layer} · 모든 헤드 · {model}: 출력 = Concat · W^O",
    },
    "multihead.sum_check": {
        "en": "Concat · W^O is the same as Σᵢ headᵢ · W^O_i + b, where W^O_i are the rows of W^O that multiply head i's block — largest difference here: {error}. "
        "So each head adds its own share to the output:",
        "ko": "Concat · W^O는 Σᵢ headᵢ · W^O_i + b와 같습니다 (W^O_i는 헤드 i의 블록에 곱해지는 W^O의 행들) — 여기서 최대 차이: {error}. "
        "즉 각 헤드가 출력에 자기 몫을 더합니다:",
    },
    "multihead.share_title": {
        "en": "{kind} · layer {layer} · each head's share of the output ‖headᵢ W^O_i‖ per query · {model}",
        "ko": "{kind} · 레이어 {layer} · 쿼리별 출력에서 각 헤드의 비중 ‖headᵢ W^O_i‖ · {model}",
    },
    "multihead.share_caption": {
        "en": "Each column sums to 1. A head with a small share barely changes the output at that position, whatever its attention map looks like.",
        "ko": "각 열의 합은 1입니다. 비중이 작은 헤드는 어텐션 맵이 어떻게 생겼든 그 위치의 출력을 거의 바꾸지 않습니다.",
    },
}
