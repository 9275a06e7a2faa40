namespace MemoryStrategy.Analyzers;

/// <summary>How a field's value holds strategies: how to reach each one (the MEM1010 fix writes that code).</summary>
internal enum InnerStrategyHolding
{
    /// <summary>It holds none.</summary>
    None,

    /// <summary>It is a strategy: <c>IMemoryStrategy _fallback</c>.</summary>
    Itself,

    /// <summary>Its elements are: an array, a list, any <c>IEnumerable&lt;T&gt;</c> of strategies (<c>foreach (var s in f)</c>).</summary>
    Elements,

    /// <summary>Its values are: a dictionary, any <c>IEnumerable&lt;KeyValuePair&lt;K, V&gt;&gt;</c> of strategies (<c>foreach (var e in f) … e.Value</c>).</summary>
    Values,
}
