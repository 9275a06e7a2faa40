using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// The job for nanosecond-scale benchmarks: in the benchmark process itself, 3 warm-up and 8 measured iterations of
/// about 250 ms. In-process so that every ratio is to a baseline measured in the same process: on the shared 2-core VM
/// the speed of a process depends on which vCPU it lands on and how busy its neighbour is (up to 2x for glibc), so
/// baselines measured in other processes gave ratios that moved from run to run (see docs/benchmarks.md).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ShortJobAttribute() : JobConfigBaseAttribute(
    Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(8).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250)));
