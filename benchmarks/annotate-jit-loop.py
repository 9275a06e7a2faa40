#!/usr/bin/env python3
"""Puts `perf record` samples on the instructions of one JIT-compiled method, for a profile of a benchmark loop.

CoreCLR's perf map (DOTNET_PerfMapEnabled=3) names the JIT's code but gives perf no bytes to annotate, and generic
instantiations share one name there. This script takes the method's listing from the JIT itself
(DOTNET_JitDisasm with DOTNET_JitDisasmWithCodeBytes=1, written in the same run), finds the perf map entry whose size
is the listing's, and counts the samples at each instruction's offset. A sample usually lands on the instruction
after the one that waited (skid): read a hot line together with the one above it.

Usage, for the 16-outstanding row of the reference pool (docs/benchmarks.md, "C#: 16 outstanding"):

  DOTNET_PerfMapEnabled=3 DOTNET_EnableWriteXorExecute=0 DOTNET_JitDisasm=Outstanding16 \\
  DOTNET_JitDisasmWithCodeBytes=1 DOTNET_JitStdOutFile=/tmp/listing.txt \\
    perf record -e cpu-clock -F 10000 -o /tmp/perf.data \\
    dotnet benchmarks/MemoryStrategy.Benchmarks/bin/Release/net10.0/MemoryStrategy.Benchmarks.dll \\
    --round-robin "pool, 16 outstanding"
  python3 benchmarks/annotate-jit-loop.py /tmp/listing.txt 'Outstanding16[MemoryStrategy.Benchmarks.PoolStrategyAllocator]' \\
    /tmp/perf-<pid>.map /tmp/perf.data

The last listing of the method whose header contains the marker is used (the final tier); its instructions are
printed with the share of the method's samples at each, then the share of each block (IG).
"""
import collections
import re
import subprocess
import sys

LABEL = re.compile(r'^(G_M\d+_IG\d+):\s+;; offset=0x([0-9A-F]+)')
INSTRUCTION = re.compile(r'^\s+([0-9A-F]{2,})\s+([a-z].*)$')


def read_listing(path, marker):
    lines = open(path, encoding='utf-8').read().split('\n')
    headers = [i for i, line in enumerate(lines) if line.startswith('; Assembly listing') and marker in line]
    if not headers:
        sys.exit(f'no listing of a method matching {marker!r} in {path}')
    instructions, offset, block = [], 0, None
    for line in lines[headers[-1] + 1:]:
        if line.startswith('; Assembly listing'):
            break
        label = LABEL.match(line)
        if label:
            block, offset = label.group(1), int(label.group(2), 16)
            continue
        instruction = INSTRUCTION.match(line)
        if instruction:
            size = len(instruction.group(1)) // 2
            instructions.append((offset, size, block, instruction.group(2).strip()))
            offset += size
    return lines[headers[-1]], instructions, offset


def find_code(map_path, size):
    starts = []
    for line in open(map_path, encoding='utf-8'):
        parts = line.split(' ', 2)
        if len(parts) == 3 and int(parts[1], 16) == size:
            starts.append((int(parts[0], 16), parts[2].strip()))
    if len(starts) != 1:
        sys.exit(f'{len(starts)} perf map entries of {size:#x} bytes: name the start address as a fifth argument')
    return starts[0][0]


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    listing, marker, map_path, perf_data = sys.argv[1:5]
    header, instructions, size = read_listing(listing, marker)
    start = int(sys.argv[5], 16) if len(sys.argv) == 6 else find_code(map_path, size)
    ips = subprocess.run(['perf', 'script', '-i', perf_data, '-F', 'ip'], capture_output=True, text=True, check=True).stdout.split()
    samples = collections.Counter(int(ip, 16) - start for ip in ips if start <= int(ip, 16) < start + size)
    total = sum(samples.values())
    boundaries = {offset for offset, _, _, _ in instructions}
    stray = sum(count for offset, count in samples.items() if offset not in boundaries)
    print(header)
    print(f'; {total} samples in the method ({len(ips)} in the recording); {stray} off an instruction boundary '
          '(should be 0, else the listing is not this code)')
    blocks = collections.Counter()
    for offset, _, block, text in instructions:
        share = 100 * samples.get(offset, 0) / max(total, 1)
        blocks[block] += samples.get(offset, 0)
        print(f'{offset:5x} {share:5.1f}%  {text}')
    print('; per block')
    for block, count in blocks.items():
        print(f'; {block:16} {100 * count / max(total, 1):5.1f}%')


if __name__ == '__main__':
    main()
