using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace MemoryStrategy.Analyzers;

// Variables a lambda handed to another thread captures: `int trimmed = 0; Parallel.ForEach(_classes, c => trimmed +=
// c.Trim());` or `Task.Run(() => count++); count++;`. The compiler hoists a captured variable into a field of an object
// both the method and the lambda reach, so from the hand-off on it is shared state like any field: its uses are recorded
// as accesses to it, judged as the object's state (reached from this). A captured object's own fields are followed
// through its origin (OriginTracker.PublishCaptured); what is recorded here is the variable itself when that is the
// state: a value (a counter, a flag, a struct) or a non-thread-safe collection.
internal sealed partial class AccessWalker
{
    private readonly HashSet<ISymbol> _sharedCaptures = new(SymbolEqualityComparer.Default);

    /// <summary>Records the variables of this method that <paramref name="function"/>, handed off, captures.</summary>
    private void ShareCaptures(IAnonymousFunctionOperation function)
    {
        foreach (IOperation reference in OriginTracker.CapturedReferences(function))
        {
            ISymbol? captured = reference switch
            {
                ILocalReferenceOperation { Local: var local } => local,
                IParameterReferenceOperation { Parameter: var parameter } => parameter,
                _ => null,
            };

            if (captured is not null && FieldAccess.TypeOf(captured) is { } type
                && (type.IsValueType || _symbols.GetUnsafeCollection(type) is not null))
            {
                _sharedCaptures.Add(captured);
            }
        }
    }

    /// <summary>A use of a captured variable shared with a handed-off lambda (<see cref="ShareCaptures"/>).</summary>
    private bool IsSharedCapture(ISymbol variable) => _sharedCaptures.Count != 0 && _sharedCaptures.Contains(variable);

    private void RecordCaptureUse(IOperation reference, ISymbol variable, CodeNode node, ImmutableHashSet<LockId> locks)
    {
        if (!reference.IsInsideNameOf())
        {
            Record(reference, variable, Origin.This, node, locks, throughAlias: false);
        }
    }
}
