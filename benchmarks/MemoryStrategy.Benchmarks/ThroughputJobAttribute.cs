using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// The job for the throughput group: in the benchmark process (as <see cref="ShortJobAttribute"/>, so one thread and
/// two threads are measured in the same process as the baselines), monitoring strategy (every invocation is long:
/// millions of pairs per thread), 3 warm-up and 10 measured iterations.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ThroughputJobAttribute() : JobConfigBaseAttribute(
    Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithStrategy(RunStrategy.Monitoring).WithWarmupCount(3).WithIterationCount(10));
