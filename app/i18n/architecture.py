"""Strings of the architecture lesson. ``{key: {"en": …, "ko": …}}``, both languages side by side."""

STRINGS: dict[str, dict[str, str]] = {
    "architecture.title": {"en": "The architecture", "ko": "전체 구조 (Architecture)"},
    "architecture.intro": {
        "en": "The Transformer of Figure 1 (§3): an **encoder** stack reads the source sentence; a **decoder** stack writes the translation one token at a time, "
        "looking at its own output so far and at the encoder's output. Every block below links to the page or explorer view that shows it at work.",
        "ko": "그림 1의 트랜스포머 (§3): **인코더(encoder)** 스택이 소스 문장을 읽고, **디코더(decoder)** 스택이 지금까지의 자기 출력과 인코더의 출력을 보면서 "
        "번역을 한 토큰씩 씁니다. 아래 각 블록은 그 블록이 작동하는 모습을 보여 주는 페이지나 탐색기 화면으로 연결됩니다.",
    },
    "architecture.no_model": {
        "en": "No model is installed: the diagram and the paper's numbers are shown without the shipped model's column.",
        "ko": "설치된 모델이 없습니다: 다이어그램과 논문의 수치만 보여 주고 배포 모델 열은 비워 둡니다.",
    },
    "architecture.diagram_header": {"en": "Figure 1, block by block", "ko": "그림 1, 블록별로"},
    "architecture.diagram_explain": {
        "en": "Read bottom-up, as in the paper. The framed blocks form one layer, repeated N times.",
        "ko": "논문처럼 아래에서 위로 읽습니다. 테두리 안의 블록들이 한 레이어이며 N번 반복됩니다.",
    },
    "architecture.encoder": {"en": "Encoder", "ko": "인코더 (Encoder)"},
    "architecture.decoder": {"en": "Decoder", "ko": "디코더 (Decoder)"},
    "architecture.stack": {"en": "**N ×** (this model: {n}, paper: {paper})", "ko": "**N ×** (이 모델: {n}, 논문: {paper})"},
    "architecture.memory_arrow": {
        "en": "→ The encoder's output (the “memory”) becomes the keys and values of every decoder layer's encoder–decoder attention.",
        "ko": "→ 인코더의 출력(“메모리”)은 모든 디코더 레이어의 인코더–디코더 어텐션에서 키와 밸류가 됩니다.",
    },
    "architecture.block.inputs": {"en": "Inputs", "ko": "입력 (Inputs)"},
    "architecture.block.inputs.explain": {
        "en": "The source sentence as subword pieces, followed by </s>.",
        "ko": "서브워드 조각으로 나눈 소스 문장, 끝에 </s>.",
    },
    "architecture.block.input_embedding": {"en": "Input embedding", "ko": "입력 임베딩 (Input embedding)"},
    "architecture.block.input_embedding.explain": {
        "en": "Each piece becomes a learned vector of d_model numbers, multiplied by √d_model (§3.4).",
        "ko": "각 조각이 d_model개의 숫자로 된 학습된 벡터가 되고, √d_model을 곱합니다 (§3.4).",
    },
    "architecture.block.positional_encoding": {"en": "⊕ Positional encoding", "ko": "⊕ 포지셔널 인코딩"},
    "architecture.block.positional_encoding.explain": {
        "en": "Fixed sin/cos vectors added so that order matters (§3.5).",
        "ko": "순서를 알 수 있도록 고정된 사인/코사인 벡터를 더합니다 (§3.5).",
    },
    "architecture.block.encoder_self_attention": {"en": "Multi-head self-attention", "ko": "멀티-헤드 셀프 어텐션"},
    "architecture.block.encoder_self_attention.explain": {
        "en": "Every source token attends to every source token; only padding is masked.",
        "ko": "모든 소스 토큰이 모든 소스 토큰에 어텐션합니다. 패딩만 마스킹됩니다.",
    },
    "architecture.block.add_norm": {"en": "Add & Norm", "ko": "더하기 & 정규화 (Add & Norm)"},
    "architecture.block.add_norm.explain": {
        "en": "Residual connection and layer normalisation: LayerNorm(x + Sublayer(x)) (§3.1).",
        "ko": "잔차 연결(residual)과 층 정규화(layer normalization): LayerNorm(x + Sublayer(x)) (§3.1).",
    },
    "architecture.block.feed_forward": {"en": "Feed forward", "ko": "피드포워드 (Feed forward)"},
    "architecture.block.feed_forward.explain": {
        "en": "The same two-layer network at every position: max(0, xW₁ + b₁)W₂ + b₂, inner width d_ff (§3.3).",
        "ko": "모든 위치에 같은 2층 신경망: max(0, xW₁ + b₁)W₂ + b₂, 내부 폭 d_ff (§3.3).",
    },
    "architecture.block.outputs_shifted": {"en": "Outputs (shifted right)", "ko": "출력 (오른쪽으로 한 칸 이동)"},
    "architecture.block.outputs_shifted.explain": {
        "en": "<s> followed by the tokens written so far: position t predicts token t+1.",
        "ko": "<s> 뒤에 지금까지 쓴 토큰들: 위치 t가 토큰 t+1을 예측합니다.",
    },
    "architecture.block.output_embedding": {"en": "Output embedding", "ko": "출력 임베딩 (Output embedding)"},
    "architecture.block.output_embedding.explain": {
        "en": "The same kind of learned vectors × √d_model (shared with the input embedding when the vocabulary is shared, §3.4).",
        "ko": "같은 종류의 학습된 벡터 × √d_model (어휘를 공유하면 입력 임베딩과 공유, §3.4).",
    },
    "architecture.block.masked_self_attention": {"en": "Masked multi-head self-attention", "ko": "마스크드 멀티-헤드 셀프 어텐션"},
    "architecture.block.masked_self_attention.explain": {
        "en": "Each position sees only itself and earlier positions: the look-ahead mask (§3.2.3).",
        "ko": "각 위치는 자신과 이전 위치만 봅니다: 룩어헤드 마스크 (§3.2.3).",
    },
    "architecture.block.cross_attention": {"en": "Multi-head encoder–decoder attention", "ko": "멀티-헤드 인코더–디코더 어텐션"},
    "architecture.block.cross_attention.explain": {
        "en": "Queries from the decoder, keys and values from the encoder output: where in the source to look.",
        "ko": "쿼리는 디코더에서, 키와 밸류는 인코더 출력에서: 소스의 어디를 볼지 정합니다.",
    },
    "architecture.block.linear": {"en": "Linear", "ko": "선형 변환 (Linear)"},
    "architecture.block.linear.explain": {
        "en": "Scores for every vocabulary piece (weights shared with the embedding, §3.4).",
        "ko": "어휘의 모든 조각에 대한 점수 (가중치는 임베딩과 공유, §3.4).",
    },
    "architecture.block.softmax": {"en": "Softmax", "ko": "소프트맥스 (Softmax)"},
    "architecture.block.softmax.explain": {
        "en": "Turns the scores into next-token probabilities.",
        "ko": "점수를 다음 토큰 확률로 바꿉니다.",
    },
    "architecture.block.output_probabilities": {"en": "Output probabilities", "ko": "출력 확률"},
    "architecture.block.output_probabilities.explain": {
        "en": "Greedy or beam search picks the next token from them (§6.1).",
        "ko": "그리디 또는 빔 서치가 여기서 다음 토큰을 고릅니다 (§6.1).",
    },
    "architecture.hp_header": {"en": "Hyper-parameters next to the paper", "ko": "논문과 나란히 본 하이퍼파라미터"},
    "architecture.hp_explain": {
        "en": "The paper's base and big models (Table 3) next to the model you are using; every name means the same thing. The shipped models are smaller so they run on a laptop CPU.",
        "ko": "논문의 base, big 모델 (표 3)과 지금 사용하는 모델을 나란히 놓았습니다. 이름의 뜻은 모두 같습니다. 배포된 모델은 노트북 CPU에서 돌아가도록 더 작습니다.",
    },
    "architecture.shipped": {"en": "shipped model", "ko": "배포 모델"},
    "architecture.col_hp": {"en": "hyper-parameter", "ko": "하이퍼파라미터"},
    "architecture.col_base": {"en": "paper: base", "ko": "논문: base"},
    "architecture.col_big": {"en": "paper: big", "ko": "논문: big"},
    "architecture.hp.d_model": {"en": "d_model (vector width)", "ko": "d_model (벡터 폭)"},
    "architecture.hp.layers": {"en": "N layers (encoder / decoder)", "ko": "레이어 수 N (인코더 / 디코더)"},
    "architecture.hp.heads": {"en": "h heads", "ko": "헤드 수 h"},
    "architecture.hp.d_k": {"en": "d_k = d_v = d_model / h", "ko": "d_k = d_v = d_model / h"},
    "architecture.hp.d_ff": {"en": "d_ff (feed-forward width)", "ko": "d_ff (피드포워드 폭)"},
    "architecture.hp.dropout": {"en": "dropout P_drop", "ko": "드롭아웃 P_drop"},
    "architecture.hp.vocabulary": {"en": "vocabulary (shared pieces)", "ko": "어휘 (공유 조각 수)"},
    "architecture.hp.max_positions": {"en": "positions in the PE table", "ko": "PE 표의 위치 수"},
    "architecture.hp.parameters": {"en": "parameters", "ko": "파라미터 수"},
    "architecture.params_header": {"en": "Where the parameters are", "ko": "파라미터는 어디에 있을까"},
    "architecture.params_explain": {
        "en": "Counts per component: the shipped model's from its real weights; the paper's from the formulas — attention 4·(d_model² + d_model), "
        "feed-forward 2·d_model·d_ff + d_ff + d_model, LayerNorm 2·d_model, embeddings vocabulary × d_model (one shared table). The positional encoding has none.",
        "ko": "구성 요소별 개수: 배포 모델은 실제 가중치에서, 논문 모델은 공식으로 계산 — 어텐션 4·(d_model² + d_model), "
        "피드포워드 2·d_model·d_ff + d_ff + d_model, LayerNorm 2·d_model, 임베딩 어휘 × d_model (공유 표 하나). 포지셔널 인코딩은 파라미터가 없습니다.",
    },
    "architecture.component.embeddings": {"en": "embeddings (shared)", "ko": "임베딩 (공유)"},
    "architecture.component.positional_encoding": {"en": "positional encoding", "ko": "포지셔널 인코딩"},
    "architecture.component.encoder_self_attention": {"en": "encoder self-attention", "ko": "인코더 셀프 어텐션"},
    "architecture.component.encoder_feed_forward": {"en": "encoder feed-forward", "ko": "인코더 피드포워드"},
    "architecture.component.encoder_layer_norm": {"en": "encoder LayerNorm", "ko": "인코더 LayerNorm"},
    "architecture.component.decoder_self_attention": {"en": "decoder self-attention", "ko": "디코더 셀프 어텐션"},
    "architecture.component.decoder_cross_attention": {"en": "decoder encoder–decoder attention", "ko": "디코더 인코더–디코더 어텐션"},
    "architecture.component.decoder_feed_forward": {"en": "decoder feed-forward", "ko": "디코더 피드포워드"},
    "architecture.component.decoder_layer_norm": {"en": "decoder LayerNorm", "ko": "디코더 LayerNorm"},
    "architecture.component.output_projection": {"en": "output projection (tied)", "ko": "출력 투영 (공유)"},
    "architecture.col_component": {"en": "component", "ko": "구성 요소"},
    "architecture.total": {"en": "total", "ko": "합계"},
    "architecture.params_title": {
        "en": "Share of parameters per component (hover for counts) — all layers and heads",
        "ko": "구성 요소별 파라미터 비중 (마우스를 올리면 개수) — 모든 레이어와 헤드",
    },
    "architecture.share_axis": {"en": "share of parameters", "ko": "파라미터 비중"},
    "architecture.params_check": {
        "en": "The formulas give **{base}** for the base model (paper: {base_paper} M) and **{big}** for the big model (paper: {big_paper} M); "
        "the small gap comes from the vocabulary size, which the paper does not pin down exactly.",
        "ko": "공식으로 계산하면 base 모델 **{base}** (논문: {base_paper} M), big 모델 **{big}** (논문: {big_paper} M)입니다. "
        "작은 차이는 논문이 정확히 밝히지 않은 어휘 크기에서 옵니다.",
    },
    "architecture.formula_match": {
        "en": "Check: the same formulas applied to {model}'s hyper-parameters give exactly its real parameter counts.",
        "ko": "확인: 같은 공식을 {model}의 하이퍼파라미터에 적용하면 실제 파라미터 수와 정확히 같습니다.",
    },
    "architecture.formula_mismatch": {
        "en": "Note: {model}'s real parameter counts differ from the formulas (its modules are not the paper's exact layout).",
        "ko": "참고: {model}의 실제 파라미터 수가 공식과 다릅니다 (모듈 구성이 논문과 정확히 같지 않습니다).",
    },
}
