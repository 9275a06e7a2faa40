using System.Runtime.InteropServices;
using MemoryStrategy.Reliability.Tests.Infrastructure;

namespace MemoryStrategy.Reliability.Tests.Hostile;

/// <summary>
/// The C interface's validator against the hostile table: every bad strategy, size and pointer is answered false, every good
/// one true, and no answer changes the strategy (the validators are pure: no counter moves).
/// </summary>
public sealed unsafe class ValidatorHostileInputTests
{
    private static readonly (string Name, Func<Probe, bool> Call, bool Expected)[] Table =
    [
        ("ValidateStrategy(null)", _ => StrategyValidator.ValidateStrategy(null), false),
        ("ValidateAllocation(null, 1)", _ => StrategyValidator.ValidateAllocation(null, 1), false),
        ("ValidateDeallocation(null, live block)", p => StrategyValidator.ValidateDeallocation(null, p.Live), false),
        ("ValidateStrategy(ready)", p => StrategyValidator.ValidateStrategy(p.Strategy), true),
        ("size 0", p => StrategyValidator.ValidateAllocation(p.Strategy, 0), false),
        ("size 1", p => StrategyValidator.ValidateAllocation(p.Strategy, 1), true),
        ("size MaxAllocationSize", p => StrategyValidator.ValidateAllocation(p.Strategy, p.Strategy.MaxAllocationSize), true),
        ("size MaxAllocationSize + 1", p => StrategyValidator.ValidateAllocation(p.Strategy, p.Strategy.MaxAllocationSize + 1), false),
        ("size nuint.MaxValue", p => StrategyValidator.ValidateAllocation(p.Strategy, nuint.MaxValue), false),
        ("live block", p => StrategyValidator.ValidateDeallocation(p.Strategy, p.Live), true),
        ("null pointer", p => StrategyValidator.ValidateDeallocation(p.Strategy, null), false),
        ("another strategy's block", p => StrategyValidator.ValidateDeallocation(p.Strategy, p.Foreign), false),
        ("a NativeMemory block", p => StrategyValidator.ValidateDeallocation(p.Strategy, p.FromNativeMemory), false),
        ("a stack pointer", p =>
        {
            long local = 0;
            return StrategyValidator.ValidateDeallocation(p.Strategy, &local);
        }, false),
        (InteriorPointer, p => StrategyValidator.ValidateDeallocation(p.Strategy, (byte*)p.Live + 16), false),
        ("a misaligned pointer", p => StrategyValidator.ValidateDeallocation(p.Strategy, (byte*)p.Live + 1), false),
        (FreedBlock, p => StrategyValidator.ValidateDeallocation(p.Strategy, p.Freed), false),
    ];

    private const string InteriorPointer = "an interior pointer";
    private const string FreedBlock = "a freed block";

    /// <summary>Validator entries that ask what a hostile request does, by the request's name in <see cref="HostileRequests"/>.</summary>
    private static readonly Dictionary<string, string> SameQuestionAs = new()
    {
        [InteriorPointer] = "free an interior pointer",
        [FreedBlock] = "double free",
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (StrategyCase strategy in StrategyCatalog.All)
        {
            foreach ((string name, _, _) in Table)
            {
                data.Add(strategy.Name, name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_answer_is_the_documented_one_and_changes_nothing(string strategyName, string entry)
    {
        (_, Func<Probe, bool> call, bool expected) = Table.Single(t => t.Name == entry);
        StrategyCase strategyCase = StrategyCatalog.Get(strategyName);
        using var probe = new Probe(strategyCase);
        StrategyStatistics before = probe.Strategy.StatusTracker.GetStatistics();

        // A request the strategy documents as accepted validates as acceptable: the validator asks the strategy's [Owns].
        bool accepted = SameQuestionAs.TryGetValue(entry, out string? request) && strategyCase.Accepts.ContainsKey(request);
        Assert.Equal(expected || accepted, call(probe));

        Assert.Equal(before, probe.Strategy.StatusTracker.GetStatistics());
        Assert.Equal(StrategyStatus.Ready, probe.Strategy.GetStatus());
    }

    [Theory]
    [MemberData(nameof(StrategyNames))]
    public void A_faulted_or_disposed_strategy_fails_every_validator(string strategyName)
    {
        using var faulted = new Probe(StrategyCatalog.Get(strategyName));
        using var disposed = new Probe(StrategyCatalog.Get(strategyName));
        Assert.True(faulted.Strategy.StatusTracker.TryFault());
        disposed.Strategy.Dispose();

        foreach (Probe probe in new[] { faulted, disposed })
        {
            Assert.False(StrategyValidator.ValidateStrategy(probe.Strategy));
            Assert.False(StrategyValidator.ValidateAllocation(probe.Strategy, 1));
            Assert.False(StrategyValidator.ValidateDeallocation(probe.Strategy, probe.Live));
        }
    }

    public static TheoryData<string> StrategyNames() => StrategyCatalog.Names();

    /// <summary>A validated strategy with one live block, one freed block, and foreign blocks to ask about.</summary>
    public sealed class Probe : IDisposable
    {
        private readonly IMemoryStrategy _other;

        internal Probe(StrategyCase strategyCase)
        {
            Strategy = strategyCase.Create();
            _other = strategyCase.Create();
            Assert.True(Strategy.Validate());
            Live = Strategy.Allocate(64);
            Freed = Strategy.Allocate(64);
            Strategy.Deallocate(Freed);
            Foreign = _other.Allocate(64);
            FromNativeMemory = NativeMemory.AlignedAlloc(64, 16);
            Assert.True(Live != null && Foreign != null);
        }

        public IMemoryStrategy Strategy { get; }

        public void* Live { get; }

        public void* Freed { get; }

        public void* Foreign { get; }

        public void* FromNativeMemory { get; }

        public void Dispose()
        {
            if (Strategy.GetStatus() != StrategyStatus.Disposed)
            {
                Strategy.Deallocate(Live);
            }

            _other.Deallocate(Foreign);
            NativeMemory.AlignedFree(FromNativeMemory);
            Strategy.Dispose();
            _other.Dispose();
        }
    }
}
