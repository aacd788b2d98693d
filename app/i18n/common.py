"""Strings of the shared sidebar, navigation and sentence box. ``{key: {"en": …, "ko": …}}``, both languages side by side."""

STRINGS: dict[str, dict[str, str]] = {
    "nav.section.explore": {"en": "Explore", "ko": "탐색"},
    "nav.section.lessons": {"en": "Lessons", "ko": "강의"},
    "nav.explorer": {"en": "Attention explorer", "ko": "어텐션 탐색기"},
    "nav.masks": {"en": "Masks", "ko": "마스킹 (Masks)"},
    "nav.scaled": {"en": "Scaled dot-product", "ko": "스케일드 닷-프로덕트"},
    "nav.positional": {"en": "Positional encoding", "ko": "포지셔널 인코딩"},
    "nav.multihead": {"en": "Multi-head attention", "ko": "멀티-헤드 어텐션"},
    "nav.architecture": {"en": "The architecture", "ko": "전체 구조"},
    "lang.en": {"en": "English", "ko": "영어"},
    "lang.de": {"en": "German", "ko": "독일어"},
    "lang.fr": {"en": "French", "ko": "프랑스어"},
    "lang.ko": {"en": "Korean", "ko": "한국어"},
    "lang.toy": {"en": "letters a–t", "ko": "알파벳 a–t"},
    "model.label": {"en": "Model", "ko": "모델"},
    "model.unreadable": {"en": "this folder cannot be read", "ko": "이 폴더를 읽을 수 없습니다"},
    "link.invalid": {
        "en": "The link's {name}={value} does not fit here, so the default is shown (and the address bar now says so).",
        "ko": "링크의 {name}={value} 값은 여기에 맞지 않아 기본값을 보여 줍니다 (주소창도 그에 맞게 바뀌었습니다).",
    },
    "app.failed": {
        "en": "Something went wrong while drawing this page. Try another sentence or setting; the error has been logged for the maintainers.",
        "ko": "이 페이지를 그리는 중에 문제가 생겼습니다. 다른 문장이나 설정을 시도해 보세요. 오류는 관리자를 위해 기록되었습니다.",
    },
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
    "decoding.label": {"en": "Decoding: beam size (1 = greedy)", "ko": "디코딩: 빔 크기 (1 = 그리디)"},
    "decoding.help": {
        "en": "Greedy picks the most likely token at every step; beam search keeps several candidate prefixes (the paper uses 4, §6.1).",
        "ko": "그리디(greedy)는 매 단계 가장 확률 높은 토큰을 고르고, 빔 서치(beam search)는 여러 후보 접두어를 유지합니다 (논문은 4, §6.1).",
    },
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
}
