#!/usr/bin/env python3
"""
berth's sandbox emulator: moto_server, extended.

Same command line as moto_server (-H HOST -p PORT), plus --public-port: a second local port that
stands for the environment's public URL (the ALB). Run with the Python that has moto installed;
berth finds it from the moto_server script (src/sandbox/emulator.ts).

    python3 launcher.py -H 127.0.0.1 -p 5000 --public-port 5001

What it adds to moto, and why, is in berth_moto/__init__.py.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from berth_moto.server import main  # noqa: E402

if __name__ == "__main__":
    main(sys.argv[1:])
