using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;

namespace MemoryStrategy.Benchmarks;

/// <summary>
/// The job for nanosecond-scale benchmarks: three processes, each with 3 warm-up and 6 measured iterations of about
/// 250 ms, so a full run of every group stays around ten minutes on two cores. Three processes because one process
/// is not representative here: the same code lands in a fast or a slow mode from one process to the next (up to 1.5x
/// apart for the pool, 2x for glibc; see docs/benchmarks.md), and the mean over three launches weighs the modes.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ShortJobAttribute() : JobConfigBaseAttribute(
    Job.Default.WithLaunchCount(3).WithWarmupCount(3).WithIterationCount(6).WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250)));
