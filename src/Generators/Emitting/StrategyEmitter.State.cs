using System.Globalization;

namespace MemoryStrategy.SourceGeneration;

/// <summary>The strategy's state: its limit, tracker and option fields, the properties over them, and the limit setter.</summary>
internal static partial class StrategyEmitter
{
    /// <summary>The largest limit that fits a <c>const nuint</c> (native-sized constants are limited to 32 bits).</summary>
    private const long LargestConstantLimit = uint.MaxValue;

    private static void EmitState(SourceWriter writer, StrategyModel model)
    {
        string limit = model.MaxAllocationSize.ToString(CultureInfo.InvariantCulture);
        if (model.MaxAllocationSize <= LargestConstantLimit)
        {
            writer.Line("/// <summary>The largest size passed to the core: <c>[MemoryStrategy(MaxAllocationSize)]</c>, or the default.</summary>");
            writer.Line($"private const nuint {EmittedNames.MaxAllocationSize} = {limit};");
        }
        else
        {
            writer.Line("/// <summary>The largest size passed to the core; clamped where <c>nuint</c> is 32 bits wide.</summary>");
            writer.Line($"private static readonly nuint {EmittedNames.MaxAllocationSize} = (nuint){TypeNames.Math}.Min({limit}UL, (ulong)nuint.MaxValue);");
        }

        writer.Line();
        writer.Line("/// <summary>This instance's limit: the attribute's, or lower once <c>LimitMaxAllocationSize</c> ran in a constructor.</summary>");
        writer.Line($"private nuint {EmittedNames.InstanceMaxAllocationSize} = {EmittedNames.MaxAllocationSize};");
        writer.Line();
        writer.Line("/// <summary>");
        writer.Line("/// The status word and the per-thread statistics, with the word's address kept inline so a status check is two loads;");
        writer.Line("/// initialised before any constructor body runs.");
        writer.Line("/// </summary>");
        writer.Line($"private readonly {TypeNames.StatusTrackerHandle} {EmittedNames.TrackerHandle} = new {TypeNames.StatusTrackerHandle}(new {TypeNames.StatusTracker}({model.StrategyName}));");
        writer.Line();
        writer.Line("/// <summary>The tracker itself: transitions and statistics.</summary>");
        writer.Line($"private {TypeNames.StatusTracker} {EmittedNames.StatusTracker} => {EmittedNames.TrackerHandle}.Tracker;");
        if (model.TrackAllocations)
        {
            writer.Line();
            writer.Line("/// <summary>Every block handed out and not yet returned (<c>TrackAllocations = true</c>): decides ownership.</summary>");
            writer.Line($"private readonly {TypeNames.LivePointerRegistry} {EmittedNames.LiveAllocations} = new {TypeNames.LivePointerRegistry}();");
        }

        if (model.PoisonFreedMemory)
        {
            writer.Line();
            writer.Line("/// <summary>Debug option <c>PoisonFreedMemory</c>: poisons freed blocks and checks them when they come back.</summary>");
            writer.Line($"private readonly {TypeNames.FreedMemoryPoison} {EmittedNames.FreedMemoryPoison} = new {TypeNames.FreedMemoryPoison}();");
        }

        writer.Line();
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public nuint MaxAllocationSize => {EmittedNames.InstanceMaxAllocationSize};");
        writer.Line();
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public {TypeNames.StatusTracker} StatusTracker => {EmittedNames.StatusTracker};");
        writer.Line();
        writer.Line("/// <inheritdoc/>");
        writer.Line($"public {TypeNames.StrategyStatus} GetStatus() => {EmittedNames.CurrentStatus};");
        writer.Line();
        writer.Lines($$"""
            /// <summary>
            /// Lowers <see cref="MaxAllocationSize"/> for this instance, when the largest request its core can serve is
            /// known only at construction (a pool's block size): larger requests are then refused before they reach the
            /// core, rather than counted as exhaustion. Call it from a constructor, before the strategy is used; it
            /// never raises the limit above <c>[MemoryStrategy(MaxAllocationSize)]</c>.
            /// </summary>
            /// <param name="max">The largest size to pass to the core; at least 1.</param>
            /// <exception cref="{{TypeNames.ArgumentOutOfRangeException}}"><paramref name="max"/> is 0.</exception>
            /// <exception cref="{{TypeNames.InvalidOperationException}}">The strategy has already been validated or used.</exception>
            """);
        using (writer.Block($"private void {MarkerNames.LimitMaxAllocationSizeMethod}(nuint max)"))
        {
            writer.Line($"{TypeNames.ArgumentOutOfRangeException}.ThrowIfZero(max);");
            using (writer.Block($"if ({EmittedNames.CurrentStatus} != {TypeNames.StrategyStatus}.Uninitialized)"))
            {
                writer.Line($"throw new {TypeNames.InvalidOperationException}(\"LimitMaxAllocationSize must run before the strategy is validated or used.\");");
            }

            writer.Line();
            using (writer.Block($"if (max < {EmittedNames.InstanceMaxAllocationSize})"))
            {
                writer.Line($"{EmittedNames.InstanceMaxAllocationSize} = max;");
            }
        }
    }
}
