"""Translate from the command line.

    python -m core.translate --model pretrained/multi30k-en-de "A dog runs in the snow."
    python -m core.translate --model pretrained/multi30k-en-de --json "A dog runs."
    python -m core.translate --model pretrained/multi30k-en-de --input in.txt --output out.txt
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tqdm import tqdm

from .checkpoint import CheckpointError
from .loader import load_translator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.translate", description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True, help="checkpoint folder (pretrained/multi30k-en-de) or a Hugging Face folder (models/opus-mt-ko-en)")
    parser.add_argument("text", nargs="?", help="the sentence to translate")
    parser.add_argument("--beam", type=int, default=1, help="beam size (1 = greedy)")
    parser.add_argument("--max-len", type=int, default=None, help="most output tokens")
    parser.add_argument("--json", action="store_true", help="print tokens and all attention tensors as JSON")
    parser.add_argument("--input", help="translate this file line by line")
    parser.add_argument("--output", help="write the translations here (default: stdout)")
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args(argv)

    if (args.text is None) == (args.input is None):
        parser.error("give either a sentence or --input FILE")
    try:
        translator = load_translator(args.model)
    except CheckpointError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    if args.input:
        path = Path(args.input)
        if not path.is_file():
            print(f"error: {path} does not exist", file=sys.stderr)
            return 2
        lines = path.read_text(encoding="utf-8").splitlines()
        outputs: list[str] = []
        with tqdm(total=len(lines), unit="line", disable=None) as bar:
            for start in range(0, len(lines), args.batch_size):
                chunk = lines[start : start + args.batch_size]
                outputs += translator.translate_texts(chunk, beam_size=args.beam, max_len=args.max_len)
                bar.update(len(chunk))
        text = "\n".join(outputs) + "\n"
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0

    try:
        result = translator.translate(args.text, beam_size=args.beam, max_len=args.max_len)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        if result.truncated:
            print(f"note: the input was cut to {translator.max_source_tokens} tokens", file=sys.stderr)
        print(result.text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
