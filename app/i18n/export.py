"""Strings of the export panel and the data downloads. ``{key: {"en": …, "ko": …}}``, both languages side by side."""

STRINGS: dict[str, dict[str, str]] = {
    "export.title": {"en": "Export for slides", "ko": "슬라이드용으로 내보내기"},
    "export.intro": {
        "en": "Save a figure for a lecture or a paper: PNG at 1920 px and up, or vector SVG/PDF. The camera button in each chart's toolbar also saves a 1920 × 1080 PNG.",
        "ko": "강의나 논문에 쓸 그림을 저장합니다: 1920 px 이상의 PNG 또는 벡터 형식 SVG/PDF. 각 차트 도구 모음의 카메라 버튼으로도 1920 × 1080 PNG를 저장할 수 있습니다.",
    },
    "export.what": {"en": "What", "ko": "내보낼 그림"},
    "export.what.current": {"en": "The current figure", "ko": "지금 보이는 그림"},
    "export.what.grid": {"en": "All heads of this layer (one grid figure)", "ko": "이 레이어의 모든 헤드 (그리드 그림 하나)"},
    "export.what.overview": {"en": "Layers × heads overview", "ko": "레이어 × 헤드 전체 보기"},
    "export.what.heads": {"en": "Every head of this layer, one file each (ZIP)", "ko": "이 레이어의 헤드마다 파일 하나씩 (ZIP)"},
    "export.all_heads": {"en": "all heads", "ko": "모든 헤드"},
    "export.format": {"en": "Format", "ko": "형식"},
    "export.format_help": {
        "en": "PNG for slides; SVG and PDF are vector graphics that stay sharp at any size (papers, posters).",
        "ko": "슬라이드에는 PNG, 논문·포스터에는 어떤 크기에서도 선명한 벡터 형식 SVG·PDF가 좋습니다.",
    },
    "export.size": {"en": "Size", "ko": "크기"},
    "export.size.16:9": {"en": "16:9 · 1920 × 1080", "ko": "16:9 · 1920 × 1080"},
    "export.size.4:3": {"en": "4:3 · 1920 × 1440", "ko": "4:3 · 1920 × 1440"},
    "export.size.square": {"en": "Square · 1920 × 1920", "ko": "정사각형 · 1920 × 1920"},
    "export.font_scale": {"en": "Font scale", "ko": "글자 크기 배율"},
    "export.font_scale_help": {
        "en": "Larger text for the back of a lecture hall. 1.5 suits most slides.",
        "ko": "강의실 뒷자리에서도 읽히도록 글자를 키웁니다. 대부분의 슬라이드에는 1.5가 알맞습니다.",
    },
    "export.theme": {"en": "Theme", "ko": "테마"},
    "export.theme.light": {"en": "Light", "ko": "밝게"},
    "export.theme.dark": {"en": "Dark", "ko": "어둡게"},
    "export.theme.print": {"en": "Print (greyscale-safe)", "ko": "인쇄용 (흑백 안전)"},
    "export.theme_help": {
        "en": "Print: white page, black text and a white-to-black scale that survives a greyscale printer or projector.",
        "ko": "인쇄용: 흰 바탕, 검은 글씨, 흰색→검은색 색상 스케일이라 흑백 인쇄나 흐린 프로젝터에서도 구분됩니다.",
    },
    "export.add_caption": {"en": "Add a caption", "ko": "캡션 넣기"},
    "export.caption": {"en": "Caption", "ko": "캡션"},
    "export.caption_help": {
        "en": "Printed under the figure, exactly as typed.",
        "ko": "그림 아래에 입력한 그대로 들어갑니다.",
    },
    "export.prepare": {"en": "Prepare file", "ko": "파일 만들기"},
    "export.preparing": {"en": "Rendering with Chromium…", "ko": "Chromium으로 그리는 중…"},
    "export.download": {"en": "Download {name}", "ko": "{name} 내려받기"},
    "export.ready": {
        "en": "Ready: {name} ({size}). Change any choice to prepare another file.",
        "ko": "준비됨: {name} ({size}). 선택을 바꾸면 새 파일을 만들 수 있습니다.",
    },
    "export.failed": {
        "en": "The export failed: {error}. The toolbar's camera button still saves a PNG.",
        "ko": "내보내기에 실패했습니다: {error}. 차트 도구 모음의 카메라 버튼으로는 여전히 PNG를 저장할 수 있습니다.",
    },
    "export.no_chromium": {
        "en": "PNG/SVG/PDF files are rendered on the server with Chromium, which is not installed here ({path} not found). Install it (Debian/Ubuntu: `apt-get install chromium fonts-noto-cjk`) or set BROWSER_PATH. The camera button in each chart's toolbar still downloads a PNG.",
        "ko": "PNG/SVG/PDF 파일은 서버에서 Chromium으로 그리는데, 이 서버에는 Chromium이 없습니다 ({path} 없음). 설치하거나 (Debian/Ubuntu: `apt-get install chromium fonts-noto-cjk`) BROWSER_PATH를 지정하세요. 각 차트 도구 모음의 카메라 버튼으로는 여전히 PNG를 내려받을 수 있습니다.",
    },
    "export.nothing": {"en": "Nothing to export on this page.", "ko": "이 페이지에는 내보낼 그림이 없습니다."},
    "export.data_csv": {"en": "Attention as CSV", "ko": "어텐션 CSV"},
    "export.data_csv_help": {
        "en": "Every weight of this translation in long format: kind, layer, head (1-based), query index/token, key index/token (0-based), weight. Opens in pandas, R or a spreadsheet.",
        "ko": "이 번역의 모든 가중치를 긴 형식(long format)으로: 종류, 레이어, 헤드(1부터), 쿼리 위치/토큰, 키 위치/토큰(0부터), 가중치. pandas, R, 스프레드시트에서 열 수 있습니다.",
    },
    "export.data_json": {"en": "Attention as JSON", "ko": "어텐션 JSON"},
    "export.data_json_help": {
        "en": "Tokens, all attention tensors ([layer][head][query][key]) and the per-step top-5: the same JSON as `python -m core.translate --json`.",
        "ko": "토큰, 모든 어텐션 텐서([레이어][헤드][쿼리][키]), 단계별 상위 5개 후보: `python -m core.translate --json` 과 같은 JSON입니다.",
    },
}
