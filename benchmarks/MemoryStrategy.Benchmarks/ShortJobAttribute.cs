using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// The job for nanosecond-scale benchmarks: one process, 3 warm-up and 8 measured iterations of about 250 ms each,
/// so a full run of every group stays under ten minutes on two cores.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ShortJobAttribute() : JobConfigBaseAttribute(
    Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(8).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250)));
