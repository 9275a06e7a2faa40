#!/usr/bin/env bash
# Measures what the MemoryStrategy analyzers and generator cost the compiler on a project of N strategies that keep
# their state in helper objects (an array of size classes locked at the call site, a 3-level arena, Interlocked
# statistics, a [ThreadStatic] per-thread cache): the shapes the thread-safety analysis follows across types.
#
#   benchmarks/AnalyzerCost/generate.sh [N=300] [DIR=/tmp/analyzer-cost]
#
# Writes the project to DIR, builds it once to warm up, then rebuilds it with -p:ReportAnalyzer=true and prints the
# compiler's time (the Csc task), the analyzers' and the generator's.
set -euo pipefail
count="${1:-300}"
dir="${2:-/tmp/analyzer-cost}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
rm -rf "$dir" && mkdir -p "$dir"

cat > "$dir/AnalyzerCost.csproj" <<PROJECT
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <AllowUnsafeBlocks>true</AllowUnsafeBlocks>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$root/src/Abstractions/MemoryStrategy.Abstractions.csproj" />
    <ProjectReference Include="$root/src/Runtime/MemoryStrategy.Runtime.csproj" />
    <ProjectReference Include="$root/src/Generators/MemoryStrategy.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
    <ProjectReference Include="$root/src/Analyzers/MemoryStrategy.Analyzers.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
  </ItemGroup>
</Project>
PROJECT

for ((i = 0; i < count; i++)); do
  cat > "$dir/Strategy$i.cs" <<SOURCE
using MemoryStrategy;

namespace Cost;

[MemoryStrategy(TrackAllocations = true)]
public sealed unsafe partial class Slab$i
{
    [ThreadStatic] private static Cache$i? t_cache;
    private readonly object _gate = new();
    private readonly SizeClass$i[] _classes = [new(16), new(64), new(256)];
    private readonly Arena$i _arena = new();
    private readonly Statistics$i _statistics = new();

    [Allocate]
    private void* AllocateCore(nuint size)
    {
        _statistics.Served(size);
        Cache$i cache = t_cache ??= new Cache$i();
        if (cache.TryPop(out nint cached))
        {
            return (void*)cached;
        }

        SizeClass$i sizeClass = _classes[size <= 16 ? 0 : size <= 64 ? 1 : 2];
        lock (_gate)
        {
            nint block = sizeClass.Take();
            return block != 0 ? (void*)block : (void*)_arena.Grab((int)size);
        }
    }

    [Deallocate]
    private void DeallocateCore(void* ptr)
    {
        Cache$i cache = t_cache ??= new Cache$i();
        if (!cache.TryPush((nint)ptr))
        {
            lock (_gate)
            {
                _classes[0].Give((nint)ptr);
            }
        }
    }

    public long Served => _statistics.Bytes;
}

internal sealed class SizeClass$i(int size)
{
    private readonly Stack<nint> _free = new();
    private int _taken;

    public int Size => size;

    public nint Take()
    {
        _taken++;
        return _free.Count > 0 ? _free.Pop() : 0;
    }

    public void Give(nint block)
    {
        _taken--;
        _free.Push(block);
    }
}

internal sealed class Arena$i
{
    private readonly object _chunkLock = new();
    private Chunk$i _current = new(1 << 16);

    public nint Grab(int size)
    {
        lock (_chunkLock)
        {
            nint block = _current.Take(size);
            if (block == 0)
            {
                _current = new Chunk$i(1 << 16);
                block = _current.Take(size);
            }

            return block;
        }
    }
}

internal sealed class Chunk$i(int capacity)
{
    private int _used;

    public nint Take(int size)
    {
        if (_used + size > capacity)
        {
            return 0;
        }

        _used += size;
        return 1 + _used;
    }
}

internal sealed class Cache$i
{
    private readonly nint[] _items = new nint[32];
    private int _count;

    public bool TryPop(out nint block)
    {
        block = _count > 0 ? _items[--_count] : 0;
        return block != 0;
    }

    public bool TryPush(nint block)
    {
        if (_count == _items.Length)
        {
            return false;
        }

        _items[_count++] = block;
        return true;
    }
}

internal sealed class Statistics$i
{
    private long _bytes;

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Served(nuint size) => Interlocked.Add(ref _bytes, (long)size);
}
SOURCE
done

cd "$dir"
dotnet build -c Release -nologo -v:q > /dev/null
touch Strategy0.cs
dotnet build -c Release -nologo -p:ReportAnalyzer=true -v:d -clp:PerformanceSummary --no-dependencies > build.log
grep -E "Total analyzer execution time|Total generator execution time" build.log | sed 's/^ *//' | sort -u
grep -E "^ +[0-9]+ ms +Csc +[0-9]+ calls" build.log | sed 's/^ *//' | head -1
grep -E "MemoryStrategy\.(Analyzers|Generators)" build.log | grep -E "[0-9]+\.[0-9]+ *[0-9]* *%|<" | sed 's/^ *//' | head -8
