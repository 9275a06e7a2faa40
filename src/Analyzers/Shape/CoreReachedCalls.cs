using System;
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
/// What MEM1011 and MEM1012 share: the calls of one kind a strategy's cores make, directly or through the class's own
/// methods they call (at any depth, lambdas and local functions counting as their method), each reported once the type
/// is done with the core that reaches it; and through the methods and property accessors of helper objects those
/// reach: types declared in the compilation that are not strategies (a router or state object of the user's own),
/// followed into each body and the helper methods it calls in turn, at any depth. In a helper, the holder is whatever
/// parameter the caller handed <c>this</c> (<c>_router.Route(this, size)</c>): a call on it is a call on the holder.
/// </summary>
internal static class CoreReachedCalls
{
    /// <summary>
    /// Sorts one call: whether it is of the kind looked for, and what its message needs. <paramref name="isHolder"/>
    /// says whether an operation is the holding strategy itself (<c>this</c> in its own code, a parameter handed
    /// <c>this</c> in a helper's).
    /// </summary>
    public delegate bool Classify<TEntry>(IInvocationOperation invocation, Func<IOperation?, bool> isHolder, out TEntry entry);

    /// <summary>Reports one call of the kind, with the core that reaches it.</summary>
    public delegate void Report<TEntry>(SymbolAnalysisContext end, IMethodSymbol core, IInvocationOperation call, TEntry entry);

    /// <summary>The most helper methods one strategy's search reads (a bound for very large helper graphs).</summary>
    private const int MaxHelperMethods = 128;

    /// <summary>In the class's own code, the holder is <c>this</c> (a static call has no receiver: its own static member).</summary>
    private static readonly Func<IOperation?, bool> s_ownCode =
        operation => operation is null || operation.WithoutConversions() is IInstanceReferenceOperation;

    /// <summary>
    /// Registers, for the strategy <paramref name="context"/> starts on, the collection and the end-of-type report. With
    /// <paramref name="bindHolderMembers"/>, a helper object the strategy calls through a field of its own is read with
    /// its back-references to the strategy known (<see cref="HolderMembers"/>; read from syntax, once per field, only for
    /// the helper calls a core reaches).
    /// </summary>
    public static void Register<TEntry>(
        SymbolStartAnalysisContext context,
        KnownSymbols known,
        SourceImplementations implementations,
        Classify<TEntry> classify,
        Report<TEntry> report,
        bool bindHolderMembers = false)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        OwnCallGraph graph = OwnCallGraph.Register(context);
        var calls = new ConcurrentBag<(IMethodSymbol Method, IInvocationOperation Call, TEntry Entry)>();
        var helperCalls = new ConcurrentBag<(IMethodSymbol Method, HelperCall Helper, IOperation? Receiver, SyntaxNode Site)>();
        Compilation compilation = context.Compilation;
        context.RegisterOperationAction(
            operation =>
            {
                var invocation = (IInvocationOperation)operation.Operation;
                if (OwnCallGraph.MethodOf(operation.ContainingSymbol) is not { } caller)
                {
                    return;
                }

                if (classify(invocation, s_ownCode, out TEntry entry))
                {
                    calls.Add((caller, invocation, entry));
                }
                else
                {
                    foreach (HelperCall helper in HelperCall.Of(invocation, s_ownCode, type, compilation, known, implementations))
                    {
                        helperCalls.Add((caller, helper, bindHolderMembers ? invocation.Instance : null, invocation.Syntax));
                    }
                }
            },
            OperationKind.Invocation);

        // A helper's property read or written from the class's own code runs its accessor.
        context.RegisterOperationAction(
            operation =>
            {
                if (OwnCallGraph.MethodOf(operation.ContainingSymbol) is { } caller)
                {
                    foreach (HelperCall helper in HelperCall.Accessors((IPropertyReferenceOperation)operation.Operation, type, compilation, known, implementations))
                    {
                        helperCalls.Add((caller, helper, null, operation.Operation.Syntax));
                    }
                }
            },
            OperationKind.PropertyReference);

        context.RegisterSymbolEndAction(end =>
        {
            if (calls.IsEmpty && helperCalls.IsEmpty)
            {
                return;
            }

            // Every method of the type a core reaches, with the core that reaches it (the first found); the calls in
            // source order, so that the diagnostics come out in the same order in every build.
            Dictionary<IMethodSymbol, IMethodSymbol> reachedFrom = graph.Reach(type.GetMembers().OfType<IMethodSymbol>().Where(method => IsCore(method, known)));
            foreach ((IMethodSymbol method, IInvocationOperation call, TEntry entry) in calls.OrderBy(c => c.Call.Syntax.SpanStart))
            {
                if (reachedFrom.TryGetValue(method, out IMethodSymbol? core))
                {
                    report(end, core, call, entry);
                }
            }

            if (!helperCalls.IsEmpty)
            {
                ReportThroughHelpers(end, type, known, implementations, classify, report, reachedFrom, helperCalls, holderOnly: bindHolderMembers);
            }
        });
    }

    /// <summary>
    /// The calls of the kind in the helper methods the cores reach (through the class's own methods or directly), each
    /// helper method read once for each set of its parameters handed the holder, reported with the first core that
    /// reaches it. With <paramref name="holderOnly"/> (the calls looked for are on the holder), only helpers handed the
    /// holder are read.
    /// </summary>
    private static void ReportThroughHelpers<TEntry>(
        SymbolAnalysisContext end,
        INamedTypeSymbol type,
        KnownSymbols known,
        SourceImplementations implementations,
        Classify<TEntry> classify,
        Report<TEntry> report,
        Dictionary<IMethodSymbol, IMethodSymbol> reachedFrom,
        IEnumerable<(IMethodSymbol Method, HelperCall Helper, IOperation? Receiver, SyntaxNode Site)> helperCalls,
        bool holderOnly)
    {
        var bodies = new SourceBodies(end.Compilation);
        var coreOf = new Dictionary<HelperCall, IMethodSymbol>();
        var pending = new Queue<HelperCall>();
        var holderMembers = new Dictionary<ISymbol, ImmutableHashSet<ISymbol>>(SymbolEqualityComparer.Default);
        bool? handsThis = null;

        // In source order of the calls, so that each helper is credited to the same core in every build.
        foreach ((IMethodSymbol method, HelperCall call, IOperation? receiver, _) in helperCalls
            .OrderBy(c => c.Site.SyntaxTree.FilePath, StringComparer.Ordinal).ThenBy(c => c.Site.SpanStart))
        {
            if (!reachedFrom.TryGetValue(method, out IMethodSymbol? core))
            {
                continue;
            }

            HelperCall helper = call;
            if (HolderMembers.FieldOf(receiver) is { } field && (handsThis ??= HolderMembers.HandsThisToACreation(type, end.CancellationToken)))
            {
                if (!holderMembers.TryGetValue(field, out ImmutableHashSet<ISymbol>? members))
                {
                    holderMembers[field] = members = HolderMembers.Of(field, call.Method.ContainingType, bodies);
                }

                helper = call.WithHolderMembers(members);
            }

            // Looking for calls on the holder, a helper that was handed none can hold none, nor can what it calls.
            if (!coreOf.ContainsKey(helper) && (!holderOnly || helper.KnowsHolder))
            {
                coreOf[helper] = core;
                pending.Enqueue(helper);
            }
        }

        var found = new List<(IMethodSymbol Core, IInvocationOperation Call, TEntry Entry)>();
        var seen = new HashSet<SyntaxNode>();
        while (pending.Count != 0 && coreOf.Count <= MaxHelperMethods)
        {
            HelperCall helper = pending.Dequeue();
            IMethodSymbol core = coreOf[helper];
            Func<IOperation?, bool> isHolder = helper.IsHolder;
            foreach (IOperation body in bodies.Of(helper.Method, includeGenerated: false, end.CancellationToken))
            {
                foreach (IOperation operation in body.DescendantsAndSelf())
                {
                    IEnumerable<HelperCall> next = Enumerable.Empty<HelperCall>();
                    if (operation is IInvocationOperation invocation)
                    {
                        if (classify(invocation, isHolder, out TEntry entry))
                        {
                            // Once per call, whichever binding reached it. A call on a receiver typed as the strategy
                            // that is not the holder (a back-reference kept in a field) is left out: it may be the holder.
                            if ((isHolder(invocation.Instance) || !SymbolEqualityComparer.Default.Equals(invocation.Instance?.WithoutConversions().Type, type))
                                && seen.Add(invocation.Syntax))
                            {
                                found.Add((core, invocation, entry));
                            }

                            continue;
                        }

                        next = HelperCall.Of(invocation, isHolder, type, end.Compilation, known, implementations);
                    }
                    else if (operation is IPropertyReferenceOperation property)
                    {
                        next = HelperCall.Accessors(property, type, end.Compilation, known, implementations);
                    }

                    foreach (HelperCall call in next)
                    {
                        if (!coreOf.ContainsKey(call) && (!holderOnly || call.KnowsHolder))
                        {
                            coreOf[call] = core;
                            pending.Enqueue(call);
                        }
                    }
                }
            }
        }

        foreach ((IMethodSymbol core, IInvocationOperation call, TEntry entry) in found
            .OrderBy(f => f.Call.Syntax.SyntaxTree.FilePath, StringComparer.Ordinal).ThenBy(f => f.Call.Syntax.SpanStart))
        {
            report(end, core, call, entry);
        }
    }

    /// <summary>Whether <paramref name="method"/> carries <c>[Allocate]</c>, <c>[Deallocate]</c>, <c>[Owns]</c> or a slow half's marker.</summary>
    private static bool IsCore(IMethodSymbol method, KnownSymbols known) =>
        method.GetAttributes().Any(attribute => known.GetMarker(attribute.AttributeClass)
            is MarkerKind.Allocate or MarkerKind.Deallocate or MarkerKind.Owns or MarkerKind.AllocateSlow or MarkerKind.DeallocateSlow);

    /// <summary>A helper method a core reaches, with the ordinals of its parameters handed the holder (a bit each).</summary>
    private readonly struct HelperCall : IEquatable<HelperCall>
    {
        private HelperCall(IMethodSymbol method, ulong holderParameters, ImmutableHashSet<ISymbol>? holderMembers = null)
        {
            Method = method;
            HolderParameters = holderParameters;
            HolderMembers = holderMembers ?? ImmutableHashSet<ISymbol>.Empty;
        }

        public IMethodSymbol Method { get; }

        /// <summary>Bit <c>k</c>: parameter <c>k</c> was handed the holder.</summary>
        public ulong HolderParameters { get; }

        /// <summary>The helper object's own fields and primary-constructor parameters that hold the holder (see <see cref="CoreReachedCalls.HolderMembers"/>).</summary>
        public ImmutableHashSet<ISymbol> HolderMembers { get; }

        /// <summary>Whether any of the helper's parameters or members holds the holder.</summary>
        public bool KnowsHolder => HolderParameters != 0 || !HolderMembers.IsEmpty;

        /// <summary>The same call, on an object whose <paramref name="members"/> hold the holder.</summary>
        public HelperCall WithHolderMembers(ImmutableHashSet<ISymbol> members) => new(Method, HolderParameters, members);

        /// <summary>
        /// The helper methods <paramref name="invocation"/> may run (see <see cref="HelperMethods"/>), each with the
        /// parameters whose arguments are the holder by <paramref name="isHolder"/>.
        /// </summary>
        public static IEnumerable<HelperCall> Of(
            IInvocationOperation invocation, Func<IOperation?, bool> isHolder, INamedTypeSymbol type, Compilation compilation, KnownSymbols known, SourceImplementations implementations)
        {
            ulong holder = 0;
            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (argument.Parameter is { Ordinal: < 64 } parameter && isHolder(argument.Value))
                {
                    holder |= 1UL << parameter.Ordinal;
                }
            }

            foreach (IMethodSymbol method in HelperMethods(invocation.TargetMethod, type, compilation, known, implementations))
            {
                yield return new HelperCall(method, holder);
            }
        }

        /// <summary>The accessors of a helper's property that <paramref name="reference"/> may run (see <see cref="HelperMethods"/>).</summary>
        public static IEnumerable<HelperCall> Accessors(
            IPropertyReferenceOperation reference, INamedTypeSymbol type, Compilation compilation, KnownSymbols known, SourceImplementations implementations)
        {
            foreach (IMethodSymbol? accessor in new[] { reference.Property.GetMethod, reference.Property.SetMethod })
            {
                if (accessor is not null)
                {
                    foreach (IMethodSymbol method in HelperMethods(accessor, type, compilation, known, implementations))
                    {
                        yield return new HelperCall(method, 0);
                    }
                }
            }
        }

        /// <summary>
        /// Whether <paramref name="operation"/> reads one of this helper's parameters that was handed the holder, or a
        /// field or primary-constructor parameter of the helper object that holds it.
        /// </summary>
        public bool IsHolder(IOperation? operation) => operation?.WithoutConversions() switch
        {
            IParameterReferenceOperation { Parameter: var parameter } when HolderMembers.Contains(parameter.OriginalDefinition) => true,
            IParameterReferenceOperation { Parameter: { Ordinal: < 64 } parameter } =>
                (HolderParameters & (1UL << parameter.Ordinal)) != 0
                && SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol.OriginalDefinition, Method),
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: var field } => HolderMembers.Contains(field.OriginalDefinition),
            IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property: var property } =>
                AutoProperties.BackingField(property) is { } backing && HolderMembers.Contains(backing.OriginalDefinition),
            _ => false,
        };

        public bool Equals(HelperCall other) =>
            SymbolEqualityComparer.Default.Equals(Method, other.Method) && HolderParameters == other.HolderParameters
            && HolderMembers.SetEquals(other.HolderMembers);

        public override bool Equals(object? obj) => obj is HelperCall other && Equals(other);

        public override int GetHashCode() =>
            (((SymbolEqualityComparer.Default.GetHashCode(Method) * 31) + HolderParameters.GetHashCode()) * 31) + HolderMembers.Count;

        /// <summary>
        /// The helper methods a call of <paramref name="target"/> may run: its own body and, for a member of an interface
        /// or an abstract or virtual one declared here, every implementation or override in the compilation
        /// (<see cref="SourceImplementations"/>: a router kept behind an interface of the user's own); each declared with
        /// a body in this compilation, in a type that is neither <paramref name="type"/> (its own methods are the call
        /// graph's) nor a strategy (a strategy's own calls are its analysis's).
        /// </summary>
        private static IEnumerable<IMethodSymbol> HelperMethods(
            IMethodSymbol target, INamedTypeSymbol type, Compilation compilation, KnownSymbols known, SourceImplementations implementations)
        {
            IMethodSymbol declared = (target.PartialImplementationPart ?? target).OriginalDefinition;
            foreach (IMethodSymbol method in implementations.Of(declared).Insert(0, declared))
            {
                if (method.ContainingType is { } containing
                    && SymbolEqualityComparer.Default.Equals(containing.ContainingAssembly, compilation.Assembly)
                    && !SymbolEqualityComparer.Default.Equals(containing.OriginalDefinition, type.OriginalDefinition)
                    && !known.IsStrategy(containing)
                    && !method.IsAbstract
                    && method.MethodKind is MethodKind.Ordinary or MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.ExplicitInterfaceImplementation
                    && !method.DeclaringSyntaxReferences.IsEmpty)
                {
                    yield return method;
                }
            }
        }
    }

    /// <summary>
    /// A helper object's back-references to its holder: when the holder calls a helper through a field of its own
    /// (<c>_router.Route(size)</c>) that it only ever fills with <c>new Router(this, …)</c>, the helper's fields that
    /// its constructor fills from the parameter handed <c>this</c> (<c>_owner = owner;</c>), and that parameter of a
    /// primary constructor (<c>class Router(S owner)</c>), hold the holder; a call on them from the helper's methods
    /// is a call on the holder.
    /// </summary>
    internal static class HolderMembers
    {
        /// <summary>The holder's own field (or auto-property's) a helper is called on (<c>_router.Route(…)</c>); null for any other receiver.</summary>
        public static IFieldSymbol? FieldOf(IOperation? receiver) => receiver?.WithoutConversions() switch
        {
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: var own } => own.OriginalDefinition,
            IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property: var property } => AutoProperties.BackingField(property),
            _ => null,
        };

        /// <summary>
        /// Whether the strategy's own source (its generated part aside) makes any object handing it <c>this</c>
        /// (<c>new Router(this)</c>): read from syntax once per strategy, so that a strategy that makes none (the common
        /// case) has no field of its read for back-references.
        /// </summary>
        public static bool HandsThisToACreation(INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken)
        {
            foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
            {
                if (GeneratedCode.IsGenerated(reference.SyntaxTree, cancellationToken))
                {
                    continue;
                }

                if (reference.GetSyntax(cancellationToken).DescendantNodes()
                    .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseObjectCreationExpressionSyntax>()
                    .Any(creation => creation.ArgumentList?.Arguments.Any(argument => argument.Expression is Microsoft.CodeAnalysis.CSharp.Syntax.ThisExpressionSyntax) == true))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The members of <paramref name="helperType"/> that hold the holder, when the holder keeps the helper in <paramref name="field"/>.</summary>
        public static ImmutableHashSet<ISymbol> Of(IFieldSymbol field, INamedTypeSymbol helperType, SourceBodies bodies)
        {
            // Each value the holder's field is given must make the helper and hand it this; a parameter is bound only
            // when every such creation binds it (through the same constructor).
            var bound = new Dictionary<IParameterSymbol, int>(SymbolEqualityComparer.Default);
            int creations = 0;
            List<Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax> values = FieldWrites.ValuesOf(field.OriginalDefinition).ToList();

            // Read from syntax first: a helper no value hands this to holds no back-reference (the common case, decided
            // without binding anything).
            if (!values.Any(value => FieldWrites.Creation(value)?.ArgumentList?.Arguments.Any(
                argument => argument.Expression is Microsoft.CodeAnalysis.CSharp.Syntax.ThisExpressionSyntax) == true))
            {
                return ImmutableHashSet<ISymbol>.Empty;
            }

            foreach (Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax value in values)
            {
                if (FieldWrites.Creation(value) is not { } creationSyntax
                    || bodies.ModelFor(creationSyntax.SyntaxTree).GetOperation(creationSyntax) is not IObjectCreationOperation { Constructor: { } constructor } creation
                    || !SymbolEqualityComparer.Default.Equals(constructor.ContainingType.OriginalDefinition, helperType.OriginalDefinition))
                {
                    return ImmutableHashSet<ISymbol>.Empty;
                }

                creations++;
                foreach (IArgumentOperation argument in creation.Arguments)
                {
                    if (argument.Parameter is { } parameter && argument.Value.WithoutConversions() is IInstanceReferenceOperation)
                    {
                        bound[parameter.OriginalDefinition] = bound.TryGetValue(parameter.OriginalDefinition, out int count) ? count + 1 : 1;
                    }
                }
            }

            ImmutableHashSet<ISymbol>.Builder members = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
            foreach (KeyValuePair<IParameterSymbol, int> pair in bound)
            {
                if (pair.Value == creations)
                {
                    members.Add(pair.Key); // a primary constructor's parameter, read in the helper's methods
                }
            }

            if (members.Count == 0)
            {
                return ImmutableHashSet<ISymbol>.Empty;
            }

            foreach (IFieldSymbol helperField in helperType.GetMembers().OfType<IFieldSymbol>())
            {
                // Every value given to the field is one of the bound parameters.
                bool any = false, all = true;
                foreach (Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax value in FieldWrites.ValuesOf(helperField))
                {
                    any = true;
                    all &= value is Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax
                        && bodies.ModelFor(value.SyntaxTree).GetSymbolInfo(value).Symbol is IParameterSymbol parameter
                        && members.Contains(parameter.OriginalDefinition);
                }

                if (any && all)
                {
                    members.Add(helperField.OriginalDefinition);
                }
            }

            return members.ToImmutable();
        }
    }
}
