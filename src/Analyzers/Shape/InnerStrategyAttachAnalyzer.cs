using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// MEM1010: a <c>[MemoryStrategy]</c> class holds another strategy (a field or auto-property whose type is a strategy
/// or a collection of strategies, see <see cref="InnerStrategyTypes.HowHeld"/>) that none of its members attaches
/// (<c>inner.StatusTracker.AttachTo(StatusTracker, role)</c>). Unattached, the inner strategy can be disposed while the holder still routes requests to it (its memory released
/// under the holder's callers), a cycle of strategies holding each other goes unnoticed, and the inner strategy is
/// neither counted in the holder's <c>FailedInnerStrategies</c> nor tagged in the meter.
/// </summary>
/// <remarks>
/// A field counts as attached when an <c>AttachTo</c> call's receiver is <c>X.StatusTracker</c> with <c>X</c> the field,
/// an element of it (an array's, a list's, a dictionary's indexer), the iteration variable of a <c>foreach</c> over it
/// or over a dictionary's <c>Values</c> (or that variable's <c>Value</c>, for a dictionary's entries), or a local or
/// parameter that the same member also stores into it (<c>var pool = new …; pool.StatusTracker.AttachTo(…);
/// _classes[i] = pool;</c>, or <c>_pools.Add(pool)</c>). An
/// <c>AttachTo</c> whose receiver is anything else (a helper's parameter, a tracker kept in a variable) makes the
/// analyzer report nothing for the type: it cannot tell which field that call attaches, and a false warning on a
/// correct composite would be worse than a missed one. A strategy kept both in a field and in a collection field filled
/// from it (<see cref="InnerStrategyAliases"/>) is attached through either. A field holding a helper object of the
/// user's own (<see cref="InnerStrategyTypes.HelperMembers"/>) is attached when each of the helper's strategy members is,
/// by the same rules read through the field (<c>_state.Fallback.StatusTracker.AttachTo(…)</c>); the holder's tracker
/// or itself handed to the helper's own code (which is not read) reports nothing for the type, as an unresolved attach.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InnerStrategyAttachAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.InnerStrategyNotAttached);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        InnerStrategyTypes.Register(context, AnalyzeType);
    }

    private static void AnalyzeType(SymbolStartAnalysisContext context, InnerStrategyFields inner, KnownSymbols known)
    {
        var facts = new AttachFacts(inner);
        InnerStrategyAliases aliases = InnerStrategyAliases.Register(context, inner, known.IMemoryStrategy!);
        context.RegisterOperationAction(
            operation =>
            {
                var invocation = (IInvocationOperation)operation.Operation;
                facts.RecordAttach(invocation);
                facts.RecordAdd(invocation);
                facts.RecordHandOff(invocation.TargetMethod, invocation.Arguments);
            },
            OperationKind.Invocation);
        context.RegisterOperationAction(
            operation =>
            {
                var creation = (IObjectCreationOperation)operation.Operation;
                if (creation.Constructor is { } constructor)
                {
                    facts.RecordHandOff(constructor, creation.Arguments);
                }
            },
            OperationKind.ObjectCreation);
        context.RegisterOperationAction(operation => facts.RecordStore((ISimpleAssignmentOperation)operation.Operation), OperationKind.SimpleAssignment);
        context.RegisterOperationAction(
            operation =>
            {
                if (operation.Operation is IForEachLoopOperation loop)
                {
                    facts.RecordLoop(loop);
                }
            },
            OperationKind.Loop);
        context.RegisterSymbolEndAction(end =>
        {
            if (facts.HasUnresolvedAttach)
            {
                return;
            }

            // A strategy kept both in a field and in a collection is attached through either.
            HashSet<IFieldSymbol> attached = aliases.Extend(inner.Fields.Where(facts.IsAttached), facts.IsAttachedVariable);
            foreach (IFieldSymbol field in inner.Fields)
            {
                if (!attached.Contains(field) && AutoProperties.SourceLocation(field) is { } location)
                {
                    string name = AutoProperties.SourceName(field);
                    end.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InnerStrategyNotAttached, location, inner.Type.Name, name, AttachCall(inner, facts, field, name, known)));
                }
            }
        });
    }

    /// <summary>What the type's members attach and store, gathered as their bodies are analysed (concurrently).</summary>
    private sealed class AttachFacts
    {
        private readonly InnerStrategyFields _inner;
        private readonly ConcurrentDictionary<InnerTarget, bool> _attachedTargets = new();

        /// <summary>
        /// Locals and parameters whose strategy is attached. A local or parameter symbol belongs to one member, so a
        /// store of the same symbol is in the member that attaches it.
        /// </summary>
        private readonly ConcurrentDictionary<ISymbol, bool> _attachedVariables = new(SymbolEqualityComparer.Default);

        /// <summary>The fields (or their elements, or a helper's members) each local or parameter is stored into.</summary>
        private readonly ConcurrentDictionary<ISymbol, ConcurrentBag<InnerTarget>> _stores = new(SymbolEqualityComparer.Default);

        /// <summary>The iteration variables of <c>foreach</c> loops over a field (or a helper's member).</summary>
        private readonly ConcurrentDictionary<ISymbol, InnerTarget> _loopVariables = new(SymbolEqualityComparer.Default);

        private int _unresolved;

        public AttachFacts(InnerStrategyFields inner) => _inner = inner;

        /// <summary>
        /// Whether an <c>AttachTo</c> call had a receiver the analysis cannot tie to a field: neither a field nor a
        /// local or parameter that is stored into one or iterates over one (a helper's parameter, say). Read once every
        /// body has been analysed.
        /// </summary>
        public bool HasUnresolvedAttach =>
            System.Threading.Volatile.Read(ref _unresolved) != 0
            || _attachedVariables.Keys.Any(variable => !_stores.ContainsKey(variable) && !_loopVariables.ContainsKey(variable));

        public void RecordAttach(IInvocationOperation invocation)
        {
            if (!IsAttachTo(invocation.TargetMethod))
            {
                return;
            }

            // The receiver is X.StatusTracker; X is what gets attached.
            if (invocation.Instance is not IPropertyReferenceOperation { Property.Name: "StatusTracker" } tracker)
            {
                MarkUnresolved();
                return;
            }

            IOperation? held = tracker.Instance?.WithoutConversions();
            if (held is IInstanceReferenceOperation)
            {
                return; // the strategy attaching itself to its own holder: not one of its inner strategies
            }

            if (_inner.TargetOf(held) is { } target)
            {
                _attachedTargets.TryAdd(target, true);
            }
            else if (VariableOf(held) is { } variable)
            {
                _attachedVariables.TryAdd(variable, true);
            }
            else
            {
                MarkUnresolved();
            }
        }

        public void RecordStore(ISimpleAssignmentOperation assignment)
        {
            if (_inner.TargetOf(assignment.Target) is { } target && VariableOf(assignment.Value.WithoutConversions()) is { } variable)
            {
                _stores.GetOrAdd(variable, _ => new ConcurrentBag<InnerTarget>()).Add(target);
            }
        }

        /// <summary>
        /// A collection's add on a field (<c>_pools.Add(pool)</c>, <c>_byName.TryAdd(name, pool)</c>,
        /// <c>_pools = _pools.Add(pool)</c> on an immutable one) stores the locals and parameters it is given there, as an
        /// assignment to an element does. Other calls on the field (<c>Contains</c>, <c>Remove</c>) store nothing.
        /// </summary>
        public void RecordAdd(IInvocationOperation invocation)
        {
            if (!CollectionAddMethods.Names.Contains(invocation.TargetMethod.Name)
                || invocation.Instance is null
                || _inner.TargetOf(invocation.Instance) is not { } target)
            {
                return;
            }

            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (VariableOf(argument.Value.WithoutConversions()) is { } variable)
                {
                    _stores.GetOrAdd(variable, _ => new ConcurrentBag<InnerTarget>()).Add(target);
                }
            }
        }

        /// <summary>
        /// This strategy's tracker (or the strategy itself) handed to a method or constructor of a helper object's type
        /// (<c>new State(StatusTracker)</c>, <c>_state.AttachAll(this)</c>): the helper may attach what it holds in code
        /// this analysis does not read, so, as for an <c>AttachTo</c> it cannot tie to a field, nothing is reported.
        /// Handed to code of another type of the compilation together with some of its inner strategies (a static
        /// <c>Attacher.AttachAll(StatusTracker, _a, _b)</c>, the strategies directly or in an array), that code may
        /// attach exactly those: they count as attached.
        /// </summary>
        public void RecordHandOff(IMethodSymbol target, ImmutableArray<IArgumentOperation> arguments)
        {
            if (_inner.HelperHandedTo(target, arguments, trackerToo: true) is not null)
            {
                MarkUnresolved();
                return;
            }

            if (target.DeclaringSyntaxReferences.IsEmpty
                || SymbolEqualityComparer.Default.Equals(target.ContainingType.OriginalDefinition, _inner.Type.OriginalDefinition)
                || !arguments.Any(argument => InnerStrategyFields.HandsHolder(argument.Value, trackerToo: true)))
            {
                return;
            }

            foreach (IArgumentOperation argument in arguments)
            {
                IOperation value = argument.Value.WithoutConversions();
                IEnumerable<IOperation> handed = value is IArrayCreationOperation { Initializer: { } initializer }
                    ? initializer.ElementValues.Select(element => element.WithoutConversions())
                    : new[] { value };
                foreach (IOperation strategy in handed)
                {
                    if (_inner.TargetOf(strategy) is { } handedTarget)
                    {
                        _attachedTargets.TryAdd(handedTarget, true);
                    }
                }
            }
        }

        public void RecordLoop(IForEachLoopOperation loop)
        {
            if (_inner.CollectionTargetOf(loop.Collection) is { } target)
            {
                foreach (ILocalSymbol local in loop.Locals)
                {
                    _loopVariables.TryAdd(local, target);
                }
            }
        }

        /// <summary>Whether the field's strategies are attached: for a helper object's field, those of each of its strategy members.</summary>
        public bool IsAttached(IFieldSymbol field)
        {
            ImmutableArray<IFieldSymbol> members = _inner.HelperMembersOf(field);
            return members.IsEmpty
                ? IsAttached(new InnerTarget(field, null))
                : members.All(member => IsAttached(field, member));
        }

        /// <summary>Whether the strategies <paramref name="member"/> of the helper object in <paramref name="field"/> holds are attached.</summary>
        public bool IsAttached(IFieldSymbol field, IFieldSymbol member) => IsAttached(new InnerTarget(field, member));

        private bool IsAttached(InnerTarget target)
        {
            if (_attachedTargets.ContainsKey(target))
            {
                return true;
            }

            foreach (ISymbol attached in _attachedVariables.Keys)
            {
                if (_loopVariables.TryGetValue(attached, out InnerTarget? looped) && looped.Equals(target))
                {
                    return true;
                }

                if (_stores.TryGetValue(attached, out ConcurrentBag<InnerTarget>? stored) && stored.Contains(target))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether a local or parameter is attached (a collection filled with it holds an attached strategy).</summary>
        public bool IsAttachedVariable(ISymbol variable) => _attachedVariables.ContainsKey(variable);

        private void MarkUnresolved() => System.Threading.Interlocked.Exchange(ref _unresolved, 1);

        private static bool IsAttachTo(IMethodSymbol method) =>
            method.Name == "AttachTo"
            && method.ContainingType is { Name: "StatusTracker" } containing
            && containing.ContainingNamespace?.ToDisplayString() == MarkerNames.Namespace;

        /// <summary>
        /// The local or parameter <paramref name="operation"/> reads, or whose <c>Value</c> it reads when the variable is a
        /// dictionary's entry (<c>foreach (var entry in _byName) entry.Value.StatusTracker.AttachTo(…)</c>).
        /// </summary>
        private static ISymbol? VariableOf(IOperation? operation) => operation switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IPropertyReferenceOperation { Property: { Name: "Value", ContainingType.Name: "KeyValuePair" }, Instance: { } entry } => VariableOf(entry.WithoutConversions()),
            _ => null,
        };
    }

    /// <summary>What MEM1010's message tells the user to call: on the field itself, on each of its elements or values, or on each strategy its helper object holds.</summary>
    private static string AttachCall(InnerStrategyFields inner, AttachFacts facts, IFieldSymbol field, string name, KnownSymbols known)
    {
        ImmutableArray<IFieldSymbol> members = inner.HelperMembersOf(field);
        if (members.IsEmpty)
        {
            return AttachCall(field, name, known);
        }

        IFieldSymbol[] left = members.Where(member => !facts.IsAttached(field, member)).ToArray();
        string call = $"StatusTracker.AttachTo(StatusTracker, role) on each strategy in {string.Join(", ", left.Select(member => name + "." + AutoProperties.SourceName(member)))}";

        // A member private to the helper cannot be named from the holder: the helper's own code must attach it.
        return left.Any(member => (member.AssociatedSymbol ?? member).DeclaredAccessibility == Accessibility.Private)
            ? $"{call} (a private one from the helper's own code, given StatusTracker)"
            : call;
    }

    private static string AttachCall(IFieldSymbol field, string name, KnownSymbols known) =>
        known.IMemoryStrategy is { } contract && InnerStrategyTypes.HowHeld(field.Type, contract) switch
        {
            InnerStrategyHolding.Elements => true,
            InnerStrategyHolding.Values => true,
            _ => false,
        }
            ? $"StatusTracker.AttachTo(StatusTracker, role) on each strategy in {name}"
            : $"{name}.StatusTracker.AttachTo(StatusTracker, role)";
}
