"""Interface strings shared by all pages and the explorer: ``{key: {"en": …, "ko": …}}``."""

STRINGS: dict[str, dict[str, str]] = {
    # navigation
    "nav.section.explore": {"en": "Explore", "ko": "탐색"},
    "nav.section.lessons": {"en": "Lessons", "ko": "강의"},
    "nav.explorer": {"en": "Attention explorer", "ko": "어텐션 탐색기"},
    "nav.masks": {"en": "Masks", "ko": "마스킹 (Masks)"},
    "nav.scaled": {"en": "Scaled dot-product", "ko": "스케일드 닷-프로덕트"},
    "nav.positional": {"en": "Positional encoding", "ko": "포지셔널 인코딩"},
    "nav.multihead": {"en": "Multi-head attention", "ko": "멀티-헤드 어텐션"},
    "nav.architecture": {"en": "The architecture", "ko": "전체 구조"},
    # language names
    "lang.en": {"en": "English", "ko": "영어"},
    "lang.de": {"en": "German", "ko": "독일어"},
    "lang.fr": {"en": "French", "ko": "프랑스어"},
    "lang.ko": {"en": "Korean", "ko": "한국어"},
    "lang.toy": {"en": "letters a–t", "ko": "알파벳 a–t"},
    # model picker
    "model.label": {"en": "Model", "ko": "모델"},
    "model.help": {
        "en": "Each model was trained from scratch by Attention Lab; the score is sacreBLEU on its test set (see its MODEL_CARD.md).",
        "ko": "모든 모델은 Attention Lab이 처음부터 학습시켰습니다. 점수는 테스트 세트의 sacreBLEU입니다 (MODEL_CARD.md 참고).",
    },
    "model.toy": {"en": "toy", "ko": "장난감 모델"},
    "model.toy_note": {
        "en": "{title} is a toy model: it only handles short, simple inputs of its training data. Expect mistakes elsewhere.",
        "ko": "{title}은(는) 장난감(toy) 모델입니다. 학습 데이터와 비슷한 짧고 쉬운 입력만 다룰 수 있고, 그 밖에서는 틀리기 쉽습니다.",
    },
    "model.none": {
        "en": "No model found in pretrained/. Train one with `python -m core.train --config configs/toy-reverse.toml`.",
        "ko": "pretrained/ 폴더에 모델이 없습니다. `python -m core.train --config configs/toy-reverse.toml` 로 학습하세요.",
    },
    "model.broken": {
        "en": "This model cannot be loaded. {error}",
        "ko": "이 모델을 불러올 수 없습니다. {error}",
    },
    # decoding
    "decoding.label": {"en": "Decoding (beam size)", "ko": "디코딩 (빔 크기)"},
    "decoding.greedy": {"en": "greedy", "ko": "그리디"},
    "decoding.help": {
        "en": "Greedy picks the most likely token at every step; beam search keeps several candidate prefixes (the paper uses 4, §6.1).",
        "ko": "그리디(greedy)는 매 단계 가장 확률 높은 토큰을 고르고, 빔 서치(beam search)는 여러 후보 접두어를 유지합니다 (논문은 4, §6.1).",
    },
    # display options
    "display.title": {"en": "Display options", "ko": "표시 옵션"},
    "display.hide_special": {"en": "Hide special tokens", "ko": "특수 토큰 숨기기"},
    "display.hide_special_help": {
        "en": "Hide <s> and </s> rows and columns. The other weights are shown unchanged, so rows may then sum to less than 1.",
        "ko": "<s>, </s> 행과 열을 숨깁니다. 나머지 가중치는 그대로이므로 행의 합이 1보다 작을 수 있습니다.",
    },
    "display.hidden_note": {
        "en": "Special tokens are hidden: rows may sum to less than 1.",
        "ko": "특수 토큰을 숨겼습니다: 행의 합이 1보다 작을 수 있습니다.",
    },
    "display.merge_words": {"en": "Merge subword pieces into words", "ko": "서브워드를 단어로 합치기"},
    "display.merge_words_help": {
        "en": "Attention to a word = sum over its pieces (columns); attention from a word = mean over its pieces (rows). Rows still sum to 1.",
        "ko": "단어로 향하는 어텐션 = 조각들의 합(열), 단어에서 나오는 어텐션 = 조각들의 평균(행). 행의 합은 여전히 1입니다.",
    },
    "display.predicted": {"en": "Label decoder rows by the token they predict", "ko": "디코더 행에 예측한 토큰 표시"},
    "display.predicted_help": {
        "en": "Decoder row t is the query of input token t, which predicts token t+1. Off: rows show the input (query) token; on: the token it produced.",
        "ko": "디코더의 t번째 행은 입력 토큰 t의 쿼리이며, 다음 토큰 t+1을 예측합니다. 끄면 입력(쿼리) 토큰을, 켜면 그 행이 만든 토큰을 보여 줍니다.",
    },
    "display.values": {"en": "Print values in cells", "ko": "셀에 값 표시"},
    "display.colorscale": {"en": "Colour scale", "ko": "색상 스케일"},
    "display.colorscale_help": {
        "en": "All offered scales are perceptually ordered and colour-blind safe; Greys prints well in black and white.",
        "ko": "모든 스케일은 색각 이상자도 구분할 수 있습니다. Greys는 흑백 인쇄에 적합합니다.",
    },
    "display.dark": {"en": "Dark charts", "ko": "어두운 차트"},
    # input
    "input.label": {"en": "Sentence to translate ({lang})", "ko": "번역할 문장 ({lang})"},
    "input.placeholder": {"en": "Type a sentence and press Enter", "ko": "문장을 입력하고 Enter를 누르세요"},
    "input.help": {
        "en": "Any text is accepted; very long input is cut to the model's maximum length.",
        "ko": "어떤 텍스트든 입력할 수 있습니다. 너무 긴 입력은 모델의 최대 길이로 잘립니다.",
    },
    "input.run": {"en": "Translate", "ko": "번역"},
    "input.examples": {"en": "Examples", "ko": "예문"},
    "input.empty": {
        "en": "Type a sentence above (or pick an example) to see the model translate it.",
        "ko": "위에 문장을 입력하거나 예문을 골라 모델이 번역하는 과정을 보세요.",
    },
    "input.nothing_to_translate": {
        "en": "The text has no characters to translate (only spaces or control characters). Your text is kept in the box.",
        "ko": "번역할 문자가 없습니다 (공백이나 제어 문자뿐입니다). 입력한 내용은 그대로 남아 있습니다.",
    },
    "input.truncated": {
        "en": "The sentence was longer than the model's {n} tokens: only the first {n} tokens were translated.",
        "ko": "문장이 모델의 최대 길이 {n} 토큰보다 깁니다. 앞의 {n} 토큰만 번역했습니다.",
    },
    "input.running": {"en": "Translating…", "ko": "번역 중…"},
    # explorer
    "explorer.title": {"en": "Attention explorer", "ko": "어텐션 탐색기"},
    "explorer.intro": {
        "en": "A real, trained encoder–decoder Transformer translates your sentence. Rows are queries, columns are keys; every row sums to 1.",
        "ko": "실제로 학습된 인코더–디코더 트랜스포머가 문장을 번역합니다. 행은 쿼리(query), 열은 키(key)이며 각 행의 합은 1입니다.",
    },
    "explorer.unfinished": {
        "en": "The model did not produce </s> within {n} tokens; the output was stopped there.",
        "ko": "모델이 {n} 토큰 안에 </s>를 내지 않아 거기서 멈췄습니다.",
    },
    "explorer.source_tokens": {"en": "Source tokens", "ko": "소스 토큰"},
    "explorer.output_tokens": {"en": "Output tokens", "ko": "출력 토큰"},
    "explorer.layer": {"en": "Layer", "ko": "레이어"},
    "explorer.head": {"en": "Head", "ko": "헤드"},
    "explorer.layer_n": {"en": "layer {n}", "ko": "레이어 {n}"},
    "explorer.head_n": {"en": "head {n}", "ko": "헤드 {n}"},
    "explorer.average": {"en": "average", "ko": "평균"},
    "explorer.overview": {"en": "All layers at once (layers × heads)", "ko": "모든 레이어 한눈에 (레이어 × 헤드)"},
    "explorer.open_large": {"en": "layer {layer} · head {head}: click to open large", "ko": "레이어 {layer} · 헤드 {head}: 클릭하면 크게 봅니다"},
    "explorer.overview_help": {
        "en": "One thumbnail per layer and head, all on one colour scale. Click a thumbnail (or use the layer and head selectors above) to open it large.",
        "ko": "레이어와 헤드마다 작은 그림 하나, 모두 같은 색상 스케일입니다. 그림을 클릭하거나 위의 레이어·헤드 선택기로 크게 볼 수 있습니다.",
    },
    # attention kinds
    "kind.encoder_self": {"en": "Encoder self-attention", "ko": "인코더 셀프 어텐션"},
    "kind.decoder_self": {"en": "Masked decoder self-attention", "ko": "마스크드 디코더 셀프 어텐션"},
    "kind.cross": {"en": "Encoder–decoder attention", "ko": "인코더–디코더 어텐션"},
    "kind.encoder_self.explain": {
        "en": "Each source token (row) attends to every source token (column) (§3.2.3). Padding would be masked; one sentence has none.",
        "ko": "각 소스 토큰(행)이 모든 소스 토큰(열)에 어텐션합니다 (§3.2.3). 패딩은 마스킹되지만, 문장 하나에는 패딩이 없습니다.",
    },
    "kind.decoder_self.explain": {
        "en": "Each target position (row) may only attend to itself and earlier positions: the look-ahead mask sets future scores to −∞, so the upper triangle is exactly 0 (§3.2.3).",
        "ko": "각 타깃 위치(행)는 자신과 이전 위치만 볼 수 있습니다. 룩어헤드 마스크(look-ahead mask)가 미래 점수를 −∞로 만들어 위쪽 삼각형은 정확히 0입니다 (§3.2.3).",
    },
    "kind.cross.explain": {
        "en": "Queries come from the decoder (target tokens, rows), keys and values from the encoder output (source tokens, columns) (§3.2.3).",
        "ko": "쿼리는 디코더(타깃 토큰, 행)에서, 키와 밸류는 인코더 출력(소스 토큰, 열)에서 옵니다 (§3.2.3).",
    },
    # axes
    "axis.query": {"en": "query", "ko": "쿼리"},
    "axis.key": {"en": "key", "ko": "키"},
    "axis.weight": {"en": "weight", "ko": "가중치"},
    "axis.head": {"en": "head", "ko": "헤드"},
    "axis.probability": {"en": "probability", "ko": "확률"},
    "axis.source_query": {"en": "query: source token", "ko": "쿼리: 소스 토큰"},
    "axis.source_key": {"en": "key: source token", "ko": "키: 소스 토큰"},
    "axis.target_query": {"en": "query: target token", "ko": "쿼리: 타깃 토큰"},
    "axis.target_key": {"en": "key: target token", "ko": "키: 타깃 토큰"},
    # chart titles
    "chart.title": {
        "en": "{kind} · layer {layer} · {head} · {model} · “{sentence}”",
        "ko": "{kind} · 레이어 {layer} · {head} · {model} · “{sentence}”",
    },
    "chart.grid_title": {
        "en": "{kind} · layer {layer} · all heads (one colour scale) · {model}",
        "ko": "{kind} · 레이어 {layer} · 모든 헤드 (같은 색상 스케일) · {model}",
    },
    "chart.overview_title": {"en": "{kind} · all layers × heads · {model}", "ko": "{kind} · 모든 레이어 × 헤드 · {model}"},
    # decoding steps
    "steps.tab": {"en": "Step through decoding", "ko": "디코딩 단계별 보기"},
    "steps.explain": {
        "en": "The decoder writes one token per step. At step t it sees only the prefix so far (masked self-attention) and the whole source (cross-attention), and outputs a probability for every next token.",
        "ko": "디코더는 한 단계에 토큰 하나를 씁니다. t단계에서 지금까지의 접두어(마스크드 셀프 어텐션)와 소스 전체(크로스 어텐션)를 보고 다음 토큰의 확률을 냅니다.",
    },
    "steps.slider": {"en": "Generation step", "ko": "생성 단계"},
    "steps.chosen": {"en": "**Step {step}:** chosen with probability {p}.", "ko": "**{step}단계:** 확률 {p}로 선택되었습니다."},
    "steps.prefix": {"en": "Prefix → chosen token", "ko": "접두어 → 선택된 토큰"},
    "steps.top5": {"en": "Top-5 next tokens at step {step}", "ko": "{step}단계의 다음 토큰 상위 5개"},
    "steps.cross_title": {
        "en": "Encoder–decoder attention at step {step} · layer {layer} · each head and average · {model}",
        "ko": "{step}단계 인코더–디코더 어텐션 · 레이어 {layer} · 헤드별 및 평균 · {model}",
    },
    "steps.self_title": {
        "en": "Masked self-attention at step {step} over the prefix · layer {layer} · {model}",
        "ko": "{step}단계 접두어에 대한 마스크드 셀프 어텐션 · 레이어 {layer} · {model}",
    },
    # head statistics
    "stats.tab": {"en": "Head statistics", "ko": "헤드 통계"},
    "stats.explain": {
        "en": "Numbers that reveal each head's habit, computed on this sentence. Sort the table by clicking a column.",
        "ko": "이 문장에서 계산한, 각 헤드의 습관을 보여 주는 수치입니다. 열 제목을 눌러 정렬하세요.",
    },
    "stats.kind": {"en": "Attention kind", "ko": "어텐션 종류"},
    "stats.metric": {"en": "Statistic for the heatmap", "ko": "히트맵에 표시할 통계"},
    "stats.entropy": {"en": "entropy (bits)", "ko": "엔트로피 (비트)"},
    "stats.max_weight": {"en": "mean max weight", "ko": "평균 최대 가중치"},
    "stats.diagonal_distance": {"en": "mean distance from diagonal", "ko": "대각선으로부터 평균 거리"},
    "stats.previous_token": {"en": "weight on previous token", "ko": "이전 토큰 가중치"},
    "stats.special_share": {"en": "share on special tokens", "ko": "특수 토큰 비중"},
    "stats.chart_title": {"en": "{metric} · {kind} · layers × heads · {model}", "ko": "{metric} · {kind} · 레이어 × 헤드 · {model}"},
    "stats.howto": {
        "en": "Diagonal head: distance ≈ 0. Previous-token head: weight on previous token ≈ 1. End-of-sentence sink: high share on special tokens. Focused heads have low entropy and a high max weight.",
        "ko": "대각선 헤드: 거리 ≈ 0. 이전 토큰 헤드: 이전 토큰 가중치 ≈ 1. 문장 끝 싱크(sink): 특수 토큰 비중이 큼. 집중하는 헤드는 엔트로피가 낮고 최대 가중치가 큽니다.",
    },
    # rollout
    "rollout.tab": {"en": "Attention rollout", "ko": "어텐션 롤아웃"},
    "rollout.explain": {
        "en": "Rollout (Abnar & Zuidema, 2020) multiplies the head-averaged attention of successive layers, each mixed half-and-half with the identity for the residual connection, to estimate how input tokens flow into each position.",
        "ko": "롤아웃(Abnar & Zuidema, 2020)은 레이어마다 헤드 평균 어텐션을 잔차 연결(residual)을 위해 항등 행렬과 반씩 섞은 뒤 차례로 곱해, 입력 토큰이 각 위치로 얼마나 흘러가는지 추정합니다.",
    },
    "rollout.caveat": {
        "en": "Caveat: attention weights show where information may flow, not why the model chose its output. They are not an explanation (Jain & Wallace, 2019).",
        "ko": "주의: 어텐션 가중치는 정보가 흐를 수 있는 경로를 보여 줄 뿐, 모델이 왜 그 출력을 골랐는지 설명하지는 않습니다 (Jain & Wallace, 2019).",
    },
    "rollout.input_tokens": {"en": "input token", "ko": "입력 토큰"},
    "rollout.encoder_title": {
        "en": "Encoder attention rollout up to layer {layer} · {model}",
        "ko": "레이어 {layer}까지의 인코더 어텐션 롤아웃 · {model}",
    },
    "rollout.cross_title": {
        "en": "Encoder–decoder attention (layer {layer}, head average) composed with the encoder rollout · {model}",
        "ko": "인코더 롤아웃과 합성한 인코더–디코더 어텐션 (레이어 {layer}, 헤드 평균) · {model}",
    },
}
