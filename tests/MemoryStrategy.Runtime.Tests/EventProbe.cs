using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace MemoryStrategy.Runtime.Tests;

/// <summary>
/// An <see cref="EventListener"/> on the MemoryStrategy event source that keeps the events of one strategy name
/// (tests run in parallel and the source is process-wide).
/// </summary>
internal sealed class EventProbe : EventListener
{
    // Initialised before the base constructor runs, which already reports the existing sources.
    private readonly Lock _gate = new();
    private readonly List<EventSource> _pending = [];
    private readonly ConcurrentQueue<EventWrittenEventArgs> _events = new();
    private string? _strategyName;
    private EventLevel _level;

    public EventProbe(string strategyName, EventLevel level = EventLevel.Verbose)
    {
        lock (_gate)
        {
            _strategyName = strategyName;
            _level = level;
            foreach (EventSource source in _pending)
            {
                EnableEvents(source, _level);
            }
        }
    }

    /// <summary>Every event of this strategy written so far, in order.</summary>
    public IReadOnlyList<EventWrittenEventArgs> Events => [.. _events];

    /// <summary>Events the source wrote about itself (a bad manifest, a failed write): there must be none.</summary>
    public ConcurrentQueue<EventWrittenEventArgs> SourceErrors { get; } = new();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name != MemoryStrategyDiagnostics.EventSourceName)
        {
            return;
        }

        lock (_gate)
        {
            if (_strategyName is null)
            {
                _pending.Add(eventSource);
            }
            else
            {
                EnableEvents(eventSource, _level);
            }
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId == 0)
        {
            SourceErrors.Enqueue(eventData);
        }
        else if (eventData.Payload is [string name, ..] && name == _strategyName)
        {
            _events.Enqueue(eventData);
        }
    }
}
