"""Strings of the positional-encoding lesson. ``{key: {"en": …, "ko": …}}``, both languages side by side."""

STRINGS: dict[str, dict[str, str]] = {
    "positional.title": {"en": "Positional encoding", "ko": "포지셔널 인코딩 (Positional encoding)"},
    "positional.intro": {
        "en": "Attention alone ignores word order: shuffle the tokens and every token gets the same attention, just in shuffled rows. "
        "So the paper adds to each token embedding a vector that depends only on its position (§3.5). Each pair of dimensions is a sine and a cosine "
        "of one frequency; the wavelengths grow geometrically from 2π to 10000 · 2π.",
        "ko": "어텐션만으로는 단어 순서를 알 수 없습니다: 토큰을 섞으면 각 토큰은 같은 어텐션을 받고 행 순서만 섞입니다. "
        "그래서 논문은 각 토큰 임베딩(embedding)에 위치에만 의존하는 벡터를 더합니다 (§3.5). 차원 두 개씩 한 주파수의 사인과 코사인이며, "
        "파장은 2π에서 10000 · 2π까지 기하급수적으로 늘어납니다.",
    },
    "positional.d_model": {"en": "d_model", "ko": "d_model"},
    "positional.d_model_help": {"en": "The paper's base model: 512.", "ko": "논문의 base 모델: 512."},
    "positional.length": {"en": "Number of positions", "ko": "위치 수"},
    "positional.length_help": {
        "en": "The default is the selected model's table length ({n} positions).",
        "ko": "기본값은 선택한 모델의 표 길이 ({n}개 위치)입니다.",
    },
    "positional.dims": {"en": "Dimensions to plot", "ko": "그릴 차원"},
    "positional.dims_help": {
        "en": "Even dimensions are sines, odd ones cosines; higher dimensions change more slowly.",
        "ko": "짝수 차원은 사인, 홀수 차원은 코사인입니다. 높은 차원일수록 천천히 변합니다.",
    },
    "positional.curves_header": {"en": "Sines and cosines across positions", "ko": "위치에 따른 사인과 코사인"},
    "positional.curves_explain": {
        "en": "Each curve is one column of the table. Together the columns work like the hands of a clock at many speeds: fast ones tell neighbouring positions apart, slow ones tell far-away regions apart.",
        "ko": "각 곡선은 표의 한 열입니다. 여러 속도로 도는 시계 바늘처럼, 빠른 차원은 이웃 위치를 구별하고 느린 차원은 멀리 떨어진 구간을 구별합니다.",
    },
    "positional.dim_name": {
        "en": "dim {dim} = {fn}, i = {pair}, wavelength {wavelength}",
        "ko": "차원 {dim} = {fn}, i = {pair}, 파장 {wavelength}",
    },
    "positional.curves_title": {
        "en": "Sinusoidal positional encoding (§3.5), d_model = {d_model}, {n} positions",
        "ko": "사인파 포지셔널 인코딩 (§3.5), d_model = {d_model}, 위치 {n}개",
    },
    "positional.curves_note": {
        "en": "markers: the values at whole positions; thin line: the same wave in between · not an attention layer",
        "ko": "점: 정수 위치의 값, 가는 선: 그 사이의 같은 파동 · 어텐션 레이어 아님",
    },
    "positional.position": {"en": "position", "ko": "위치"},
    "positional.value": {"en": "PE(pos, dim)", "ko": "PE(pos, dim)"},
    "positional.heatmap_header": {"en": "The whole table: positions × dimensions", "ko": "전체 표: 위치 × 차원"},
    "positional.heatmap_explain": {
        "en": "Row = one position's vector, added to that token's embedding (× √d_model) before the first layer. Left columns oscillate fast; right columns barely change.",
        "ko": "행 = 한 위치의 벡터로, 첫 레이어 전에 그 토큰의 임베딩(× √d_model)에 더해집니다. 왼쪽 열은 빠르게 진동하고, 오른쪽 열은 거의 변하지 않습니다.",
    },
    "positional.heatmap_title": {
        "en": "PE table (positions × dimensions), d_model = {d_model}, {n} positions — not an attention layer",
        "ko": "PE 표 (위치 × 차원), d_model = {d_model}, 위치 {n}개 — 어텐션 레이어 아님",
    },
    "positional.dimension": {"en": "dimension", "ko": "차원"},
    "positional.thinned": {
        "en": "Large table: one position in {rows} and one dimension in {cols} are drawn.",
        "ko": "표가 커서 위치는 {rows}개 중 1개, 차원은 {cols}개 중 1개만 그렸습니다.",
    },
    "positional.similarity_header": {"en": "Nearby positions are alike", "ko": "가까운 위치는 비슷합니다"},
    "positional.similarity_explain": {
        "en": "PE(i)·PE(j) is largest on the diagonal (each pair adds sin² + cos² = 1, so the diagonal is d_model/2 = {half}) and falls off with the distance |i − j| — "
        "it depends only on the distance, not on where i and j are.",
        "ko": "PE(i)·PE(j)는 대각선에서 가장 큽니다 (차원 쌍마다 sin² + cos² = 1이므로 대각선 값은 d_model/2 = {half}). 거리 |i − j|가 멀어질수록 줄어들며, "
        "i와 j의 위치가 아니라 거리에만 의존합니다.",
    },
    "positional.reference": {"en": "Reference position i", "ko": "기준 위치 i"},
    "positional.similarity_title": {"en": "Similarity PE(i)·PE(j), d_model = {d_model}", "ko": "유사도 PE(i)·PE(j), d_model = {d_model}"},
    "positional.not_attention": {"en": "positional encoding, not an attention layer", "ko": "포지셔널 인코딩, 어텐션 레이어 아님"},
    "positional.position_i": {"en": "position i", "ko": "위치 i"},
    "positional.position_j": {"en": "position j", "ko": "위치 j"},
    "positional.profile_title": {
        "en": "PE({ref})·PE(j) for every j, d_model = {d_model}",
        "ko": "모든 j에 대한 PE({ref})·PE(j), d_model = {d_model}",
    },
    "positional.dot_axis": {"en": "PE({ref})·PE(j)", "ko": "PE({ref})·PE(j)"},
    "positional.shift": {
        "en": "Why sinusoids (§3.5): “for any fixed offset k, PE(pos+k) can be represented as a linear function of PE(pos)” — a rotation of every sin/cos pair. "
        "Check on this table with k = {k}: the largest error of PE(pos+{k}) = M·PE(pos) is {error}.",
        "ko": "왜 사인파인가 (§3.5): “고정된 오프셋 k에 대해 PE(pos+k)는 PE(pos)의 선형 함수로 나타낼 수 있다” — 사인/코사인 쌍마다의 회전입니다. "
        "이 표에서 k = {k}로 확인: PE(pos+{k}) = M·PE(pos)의 최대 오차는 {error}입니다.",
    },
    "positional.model_header": {"en": "The shipped model's own encoding", "ko": "배포된 모델의 포지셔널 인코딩"},
    "positional.no_model": {
        "en": "No model is installed; the formula parts above work without one.",
        "ko": "설치된 모델이 없습니다. 위의 공식 부분은 모델 없이도 동작합니다.",
    },
    "positional.model_explain": {
        "en": "**{model}** keeps a fixed table of {n} positions × {d_model} dimensions (nothing learned). It equals the formula (largest difference {error}). "
        "Every row has length √(d_model/2) = {norm}. Below: the rows your sentence occupies.",
        "ko": "**{model}**은(는) 위치 {n}개 × 차원 {d_model}개의 고정된 표를 가집니다 (학습되지 않음). 공식과 같습니다 (최대 차이 {error}). "
        "모든 행의 길이는 √(d_model/2) = {norm}입니다. 아래: 입력한 문장이 차지하는 행.",
    },
    "positional.model_title": {
        "en": "{model}: positional encoding of the {n} source positions of your sentence (added before encoder layer 1)",
        "ko": "{model}: 입력 문장의 소스 위치 {n}개의 포지셔널 인코딩 (인코더 레이어 1 전에 더해짐)",
    },
    "positional.token": {"en": "position: source token", "ko": "위치: 소스 토큰"},
    "positional.model_full": {"en": "The model's whole table", "ko": "모델의 전체 표"},
    "positional.model_full_title": {
        "en": "{model}: the whole positional-encoding table ({n} positions)",
        "ko": "{model}: 전체 포지셔널 인코딩 표 (위치 {n}개)",
    },
    "positional.learned_note": {
        "en": "Learned instead of fixed: the paper also tried learned position embeddings and got nearly identical results (Table 3, row E); it kept sinusoids "
        "hoping they extrapolate to longer sentences. Many later models learn absolute positions (BERT, GPT-2) or encode relative positions instead "
        "(Shaw et al., 2018; rotary embeddings, RoPE; ALiBi).",
        "ko": "고정 대신 학습: 논문은 학습된 위치 임베딩도 시험했고 거의 같은 결과를 얻었습니다 (표 3, E행). 더 긴 문장으로 외삽되기를 기대하며 사인파를 택했습니다. "
        "이후 많은 모델은 절대 위치를 학습하거나 (BERT, GPT-2) 상대 위치를 인코딩합니다 "
        "(Shaw 외, 2018; 로터리 임베딩 RoPE; ALiBi).",
    },
}
