using MemoryStrategy.Reliability.Tests.Infrastructure;

namespace MemoryStrategy.Reliability.Tests.Hostile;

/// <summary>
/// Every strategy against every hostile request, through the managed API and through the C vtable: the request is
/// refused (null, or no effect), its counter and only its counter moves, the status is the documented one, nothing
/// throws, and a strategy that is not disposed still serves valid requests afterwards.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed unsafe class HostileInputTests
{
    public static TheoryData<string, bool, string> Cases()
    {
        var data = new TheoryData<string, bool, string>();
        foreach (StrategyCase strategy in StrategyCatalog.All)
        {
            foreach (bool native in new[] { false, true })
            {
                foreach (HostileCase request in HostileRequests.All)
                {
                    data.Add(strategy.Name, native, request.Name);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_hostile_request_is_refused_and_counted(string strategyName, bool throughNativeVtable, string requestName)
    {
        StrategyCase strategyCase = StrategyCatalog.Get(strategyName);
        HostileCase request = HostileRequests.All.Single(r => r.Name == requestName);
        using IMemoryStrategy strategy = strategyCase.Create();
        using NativeStrategyHandle handle = NativeHandles.Create(strategy);
        EntryPoint entry = throughNativeVtable
            ? new NativeEntryPoint(strategy, handle, strategyCase.Create)
            : new ManagedEntryPoint(strategy, strategyCase.Create);
        Assert.True(entry.Validate());
        StrategyStatistics before = strategy.StatusTracker.GetStatistics();

        bool refused = request.Act(entry);

        if (strategyCase.Accepts.TryGetValue(request.Name, out string? why))
        {
            // Documented as accepted: harmlessly, the strategy goes on serving below.
            Assert.False(refused, $"{request.Name}: refused, but the strategy documents that it accepts it ({why})");
        }
        else
        {
            Assert.True(refused, $"{request.Name} through the {entry}: not refused as documented");
            Assert.Equal(request.Expected, CounterDelta.Between(before, strategy.StatusTracker.GetStatistics()));
        }

        Assert.Equal(request.StatusAfter, entry.GetStatus());
        if (request.StatusAfter != StrategyStatus.Disposed)
        {
            void* block = entry.Allocate(8);
            Assert.True(block != null, "the strategy stopped serving after a hostile request");
            *(long*)block = 42;
            entry.Deallocate(block);
            Assert.True(entry.Validate());
            if (!strategyCase.Accepts.ContainsKey(request.Name))
            {
                Assert.Equal(0, strategy.StatusTracker.GetStatistics().LiveAllocations);
                Assert.Null(strategyCase.AllBlocksFree(strategy));
            }
        }
    }

    [Fact]
    public void The_table_holds_every_hostile_request_the_contract_names()
    {
        string[] expected =
        [
            "size 0", "size 1", "size MaxAllocationSize", "size MaxAllocationSize + 1", "size nuint.MaxValue", "free null",
            "free a pointer of another strategy of the same type", "free a pointer from NativeMemory", "free a pointer to the stack",
            "free an interior pointer", "free a misaligned pointer", "double free", "allocate after Dispose", "free after Dispose",
            "Dispose twice",
        ];
        Assert.Equal(expected, HostileRequests.All.Select(r => r.Name));
    }

    [Theory]
    [MemberData(nameof(StrategyNames))]
    public void The_vtable_refuses_a_null_self(string strategyName)
    {
        using IMemoryStrategy strategy = StrategyCatalog.Get(strategyName).Create();
        using NativeStrategyHandle handle = NativeHandles.Create(strategy);
        NativeMemoryStrategy* vtable = handle.Pointer;
        void* block = strategy.Allocate(16);

        Assert.True(vtable->Allocate(null, 16) == null);
        vtable->Deallocate(null, block);
        Assert.Equal((int)StrategyStatus.Disposed, vtable->GetStatus(null));
        Assert.Equal(0, vtable->Validate(null));

        // Nothing reached the strategy: the block is still live and the counters show only the managed allocation.
        Assert.True(strategy.Owns(block));
        Assert.Equal(new StrategyStatistics(1, 0, 0, 0, 0, 1, 1, 16), strategy.StatusTracker.GetStatistics());
        strategy.Deallocate(block);
    }

    [Theory]
    [MemberData(nameof(StrategyNames))]
    public void The_vtable_of_a_disposed_handle_refuses_everything_and_leaves_the_strategy_alone(string strategyName)
    {
        using IMemoryStrategy strategy = StrategyCatalog.Get(strategyName).Create();
        NativeStrategyHandle handle = NativeHandles.Create(strategy);
        NativeMemoryStrategy* vtable = handle.Pointer;
        void* block = vtable->Allocate(vtable, 16);
        Assert.True(block != null);

        handle.Dispose();
        handle.Dispose();

        Assert.True(vtable->Allocate(vtable, 16) == null);
        vtable->Deallocate(vtable, block);
        Assert.Equal((int)StrategyStatus.Disposed, vtable->GetStatus(vtable));
        Assert.Equal((int)StrategyStatus.Disposed, *(int*)vtable->StatusTracker);
        Assert.Equal(0, vtable->Validate(vtable));
        Assert.Equal(StrategyStatus.Ready, strategy.GetStatus());
        Assert.True(strategy.Owns(block));
        strategy.Deallocate(block);
        Assert.Equal(0, strategy.StatusTracker.GetStatistics().LiveAllocations);
        GC.KeepAlive(handle);
    }

    public static TheoryData<string> StrategyNames() => StrategyCatalog.Names();
}
