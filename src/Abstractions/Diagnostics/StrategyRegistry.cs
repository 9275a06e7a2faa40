using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace MemoryStrategy;

/// <summary>
/// Every live <see cref="StatusTracker"/>, held weakly, so the meter can find them: a tracker joins in its
/// constructor and leaves when the garbage collector reclaims it. Observing strategies never keeps one alive.
/// </summary>
internal static class StrategyRegistry
{
    /// <summary>
    /// Keys are held through dependent handles: an entry dies with its tracker, and the table reclaims dead entries
    /// when it grows. The value is unused. Adding takes the table's lock, once per tracker, never on an allocation.
    /// </summary>
    private static readonly ConditionalWeakTable<StatusTracker, object?> s_trackers = new();

    /// <summary>Adds a newly constructed tracker, and makes sure the meter that reports it exists.</summary>
    /// <param name="tracker">The tracker.</param>
    public static void Register(StatusTracker tracker)
    {
        s_trackers.AddOrUpdate(tracker, null);
        StrategyMeter.EnsureCreated();
    }

    /// <summary>The trackers still alive. Enumerating is safe while other threads create trackers.</summary>
    /// <returns>The trackers, in no particular order.</returns>
    public static IEnumerable<StatusTracker> LiveTrackers()
    {
        foreach (KeyValuePair<StatusTracker, object?> entry in (IEnumerable<KeyValuePair<StatusTracker, object?>>)s_trackers)
        {
            yield return entry.Key;
        }
    }
}
