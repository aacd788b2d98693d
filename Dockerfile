# Attention Lab as a container: Streamlit on port 8501, CPU-only PyTorch,
# Debian's Chromium (slide export) and Noto CJK fonts (Korean labels).
#
#   docker build -t attention-lab .
#   docker run --rm -p 8501:8501 attention-lab        # then open http://localhost:8501
#
# Several replicas behind a load balancer need one shared cookie secret:
#   docker run -e STREAMLIT_SERVER_COOKIE_SECRET=... attention-lab   (deploy/README.md)
#
# Build arguments:
#   TORCH_INDEX_URL  where the torch wheel comes from. The default is PyTorch's
#                    CPU-only index (a ~200 MB wheel instead of the multi-GB
#                    CUDA one that the standard index has for Linux). Pass
#                    --build-arg TORCH_INDEX_URL= (empty) where only the
#                    standard index is reachable: it works, the image is larger.
#   Everything else comes from pip's configured index (PIP_INDEX_URL in the
#   build environment, if you use a mirror).
FROM python:3.11-slim

ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BROWSER_PATH=/usr/bin/chromium \
    MALLOC_ARENA_MAX=2
# MALLOC_ARENA_MAX=2: Streamlit runs every script run in a new thread and glibc
# gives threads their own malloc arenas; two arenas halve the memory each
# extra session costs (bench/load.py: ~2.3 → ~1.3 MB per session).

# Chromium renders PNG/SVG/PDF exports (kaleido); the CJK font draws Hangul.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so code edits do not reinstall them. torch is pinned in
# requirements.txt; installing it from the CPU index first satisfies that pin
# (2.13.0+cpu is 2.13.0), so the second install keeps the CPU build.
COPY requirements.txt ./
RUN TORCH_VERSION="$(grep -E '^torch==' requirements.txt | cut -d= -f3)" \
    && if [ -n "$TORCH_INDEX_URL" ]; then \
         pip install --no-deps --index-url "$TORCH_INDEX_URL" "torch==${TORCH_VERSION}"; \
       fi \
    && pip install -r requirements.txt

# The app, its Streamlit settings and the shipped models.
COPY .streamlit ./.streamlit
COPY app ./app
COPY core ./core
COPY pretrained ./pretrained

# Run as an unprivileged user; Chromium and Streamlit need a writable home.
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin app
USER app
ENV HOME=/home/app

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).status == 200 else 1)"]

CMD ["streamlit", "run", "app/main.py", "--server.address", "0.0.0.0", "--server.port", "8501"]
