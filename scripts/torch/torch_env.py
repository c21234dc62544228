"""Finds PyTorch for the scripts in this folder.

If the running Python can import torch, torchvision and safetensors, nothing happens.
Otherwise the running script is started again with the Python of a virtual environment
made for these scripts: `$SIMCLR_TORCH_VENV` if set, else `.venv/` at the project
root, created on first use with `python3 -m venv` and
`pip install torch torchvision numpy safetensors` (a few minutes, once). This is how
scripts/bench/torch_step.py finds its PyTorch too. The Swift lessons and `swift test`
never need any of it.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGES = ["torch", "torchvision", "numpy", "safetensors"]


def venv_folder():
    """The virtual environment these scripts use when the running Python lacks PyTorch."""
    return os.environ.get("SIMCLR_TORCH_VENV") or os.path.join(ROOT, ".venv")


def require_torch():
    """Returns if PyTorch is importable; else re-runs this program under the venv's Python."""
    try:
        import safetensors  # noqa: F401
        import torch  # noqa: F401
        import torchvision  # noqa: F401
        return
    except ImportError as error:
        missing = error.name
    folder = venv_folder()
    python = os.path.join(folder, "bin", "python")
    program = os.path.basename(sys.argv[0])
    if os.environ.get("SIMCLR_TORCH_REEXEC") == "1":
        raise SystemExit(f"{program}: {missing} is not importable in {folder}; delete that folder to rebuild it, "
                         f"or set SIMCLR_TORCH_VENV to a virtual environment with {' '.join(PACKAGES)}")
    if "RANK" in os.environ:
        # Under torchrun every process would try to build the same environment at once.
        raise SystemExit(f"{program}: {missing} is missing from the Python torchrun started; "
                         f"install it there (pip install {' '.join(PACKAGES)}) or use {folder}/bin/torchrun")
    if not os.path.exists(python):
        print(f"{program}: creating {folder} and installing {' '.join(PACKAGES)} (once; this takes a few minutes)",
              file=sys.stderr, flush=True)
        try:
            subprocess.run([sys.executable, "-m", "venv", folder], check=True, stdout=sys.stderr)
            subprocess.run([python, "-m", "pip", "install", "--quiet", *PACKAGES], check=True, stdout=sys.stderr)
        except (OSError, subprocess.CalledProcessError) as error:
            raise SystemExit(f"{program}: could not set up {folder}: {error}")
    os.environ["SIMCLR_TORCH_REEXEC"] = "1"
    os.execv(python, [python, os.path.abspath(sys.argv[0]), *sys.argv[1:]])
