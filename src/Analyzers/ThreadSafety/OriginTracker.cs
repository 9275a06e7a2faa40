using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using MemoryStrategy.SourceGeneration;

namespace MemoryStrategy.Analyzers;

/// <summary>
/// Where the values of one method's expressions and locals come from (<see cref="Origin"/>), in source order: a
/// local created by the method is confined until it is stored into a field, an array or a collection of a shared
/// object (published), and a local copy of a field's array or collection (<c>var items = _items;</c>), or a
/// <c>ref</c> local to a field, is an alias of the field: accesses through it are accesses to the field.
/// </summary>
internal sealed partial class OriginTracker
{
    private readonly ConcurrencySymbols _symbols;
    private readonly CalleeFacts? _callees;
    private readonly Dictionary<ILocalSymbol, Origin> _locals = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<ILocalSymbol, FieldAlias> _aliases = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Parameters whose object the method has stored where others reach it: shared from there on, whatever the caller's
    /// argument. Null in a tracker for a summary (<see cref="MethodSummaries.EscapesOf"/>), which asks what a value is
    /// derived from, not whether it is shared yet.
    /// </summary>
    private readonly Dictionary<IParameterSymbol, Origin>? _publishedParameters;

    /// <param name="symbols">The compilation's concurrency symbols.</param>
    /// <param name="callees">Where a callee's return value comes from, relative to the callee (null: not known).</param>
    /// <param name="publishParameters">Whether a parameter the method stores is shared from the store on.</param>
    public OriginTracker(ConcurrencySymbols symbols, CalleeFacts? callees, bool publishParameters = true)
    {
        _symbols = symbols;
        _callees = callees;
        _publishedParameters = publishParameters ? new(SymbolEqualityComparer.Default) : null;
    }

    /// <summary>
    /// A local standing for a field: the field, the reference operation it was read through (null when a call returned a
    /// <c>ref</c> into it: <c>ref int r = ref Slot(i);</c>), where the object holding the field comes from then, and
    /// whether the local is a <c>ref</c>.
    /// </summary>
    public readonly struct FieldAlias
    {
        public FieldAlias(IFieldReferenceOperation reference, bool isRef, bool throughElement)
        {
            Field = reference.Field;
            Reference = reference;
            IsRef = isRef;
            ThroughElement = throughElement;
        }

        public FieldAlias(IFieldSymbol field, Origin receiver, bool throughElement)
        {
            Field = field;
            Receiver = receiver;
            IsRef = true;
            ThroughElement = throughElement;
        }

        public IFieldSymbol Field { get; }

        /// <summary>The field's reference the local was given (<c>var items = _items;</c>, <c>ref var s = ref _stats;</c>); null for a <c>ref</c> return's.</summary>
        public IFieldReferenceOperation? Reference { get; }

        /// <summary>For a <c>ref</c> return's alias, where the object holding the field comes from, in the caller.</summary>
        public Origin Receiver { get; }

        public bool IsRef { get; }

        /// <summary>The local is a <c>ref</c> to an element of the field's array.</summary>
        public bool ThroughElement { get; }
    }

    public bool TryGetAlias(ILocalSymbol local, out FieldAlias alias) => _aliases.TryGetValue(local, out alias);

    /// <summary>Records <c>local = value</c> (a declaration, an assignment, a <c>ref</c> binding).</summary>
    public void Assign(ILocalSymbol local, IOperation? value)
    {
        bool isRef = local.IsRef;
        _aliases.Remove(local);
        HoldCreated(local, value);
        if (value is null)
        {
            _locals.Remove(local);
            return;
        }

        _locals[local] = local.Type.IsValueType && !isRef ? Origin.Confined : Of(value);
        IOperation unwrapped = value.WithoutConversions();
        bool element = false;
        if (isRef && unwrapped is IArrayElementReferenceOperation array)
        {
            unwrapped = array.ArrayReference.WithoutConversions();
            element = true;
        }
        else if (unwrapped is IInvocationOperation { Arguments.Length: > 0 } view && _symbols.IsSpanView(view.TargetMethod))
        {
            unwrapped = view.Arguments[0].Value.WithoutConversions(); // var s = _arr.AsSpan(): a view of the field's array
        }
        else if (unwrapped is IInvocationOperation atomic && _symbols.AtomicallyReadLocation(atomic) is { } location)
        {
            // var l = Volatile.Read(ref _list), var old = Interlocked.Exchange(ref _list, next): the object that was in the
            // field, which other threads may still hold; the walker makes an exchange's local the owner when none can.
            unwrapped = location.WithoutConversions();
        }

        if (isRef && RefReturnAlias(unwrapped) is { } returned)
        {
            _aliases[local] = returned; // ref var s = ref Slot(i): what is done through s is done to the field Slot returns into
            return;
        }

        if (unwrapped is IFieldReferenceOperation field
            && (isRef
                || field.Field.Type is IArrayTypeSymbol
                || _symbols.GetUnsafeCollection(field.Field.Type) is not null
                || (_symbols.IsSpan(local.Type) && _symbols.IsInlineArray(field.Field.Type))))
        {
            _aliases[local] = new FieldAlias(field, isRef, element);
        }
    }

    /// <summary>The field a <c>ref</c>-returning call or property (<c>Slot(i)</c>, <c>Current</c>) returns a reference into, as an alias; null for anything else.</summary>
    private FieldAlias? RefReturnAlias(IOperation value)
    {
        (IMethodSymbol? method, IOperation? instance, System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments) = value switch
        {
            IInvocationOperation call => (call.TargetMethod, call.Instance, call.Arguments),
            IPropertyReferenceOperation { Property.GetMethod: { } getter } property => (getter, property.Instance, property.Arguments),
            _ => (null, null, default),
        };

        return method is null ? null : RefReturnInto(method, instance, arguments);
    }

    /// <summary>
    /// The field a call of the <c>ref</c>-returning <paramref name="method"/> returns a reference into, with where the
    /// object holding it comes from in the caller (its receiver and arguments put for the callee's); null when it
    /// returns none or it is not known.
    /// </summary>
    public FieldAlias? RefReturnInto(IMethodSymbol method, IOperation? instance, System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments) =>
        method.ReturnsByRef && _callees?.RefReturnOf(method) is { } target
            ? new FieldAlias(target.Field, CalleeFacts.Substitute(target.Holder, instance, method.IsStatic, arguments, Of), target.ThroughElement)
            : null;

    /// <summary>
    /// Records what <paramref name="operation"/> gives a local (a declaration, an assignment), for a summary that reads a
    /// body's operations in source order; false for any other operation.
    /// </summary>
    public bool TryAssign(IOperation operation)
    {
        switch (operation)
        {
            case IVariableDeclaratorOperation declarator:
                Assign(declarator.Symbol, declarator.Initializer?.Value);
                return true;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var local } } assignment:
                Assign(local, assignment.Value);
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The object in <paramref name="local"/> is the method's own from here on: no longer reachable through the field
    /// it was read from (<see cref="SwappedOutField"/>), or taken out of a thread-safe collection
    /// (<see cref="ConcurrencySymbols.TakesItems"/>). A later store still publishes it.
    /// </summary>
    public void Own(ILocalSymbol local)
    {
        _aliases.Remove(local);
        _locals[local] = Origin.Confined;
    }

    /// <summary>
    /// Records that <paramref name="value"/> was stored where <paramref name="destination"/> can reach it, and with it
    /// what it holds (<see cref="Hold"/>).
    /// </summary>
    public void Publish(IOperation value, Origin destination) => Publish(Variable(value), destination, depth: 0);

    private void Publish(ISymbol? variable, Origin destination, int depth)
    {
        switch (variable)
        {
            case ILocalSymbol local when _locals.TryGetValue(local, out Origin origin):
                _locals[local] = origin.Join(destination);
                break;
            case IParameterSymbol parameter when _publishedParameters is not null && !destination.IsConfined:
                // void Keep(Node n) { _shared = n; n.X++; }: from the store on, n is reached from where it was stored too.
                _publishedParameters[parameter] = OfParameter(parameter).Join(destination);
                break;
            default:
                return;
        }

        if (!destination.IsConfined && depth < MaxHoldingDepth)
        {
            foreach (ISymbol held in HeldBy(variable))
            {
                Publish(held, destination, depth + 1);
            }
        }
    }

    /// <summary>
    /// <c>var w = new Work(); Task.Run(() =&gt; w.Done++); w.Done++;</c>: the locals a lambda handed to another thread
    /// (or stored) captures are shared with it from there on, as if stored into a field of the object. What the
    /// method did to them before is still its own: the hand-off orders it before the lambda runs.
    /// </summary>
    public void PublishCaptured(IAnonymousFunctionOperation function)
    {
        foreach (IOperation captured in CapturedReferences(function))
        {
            if (captured is ILocalReferenceOperation { Local: var local })
            {
                _locals[local] = (_locals.TryGetValue(local, out Origin origin) ? origin : Origin.Confined).Join(Origin.This);
            }
        }
    }

    /// <summary>
    /// The references in <paramref name="function"/>'s body to what it captures from the code around it: that code's
    /// locals and parameters, and its <c>this</c> (a lambda's own locals and parameters, and those of lambdas nested in
    /// it, are not captures).
    /// </summary>
    public static IEnumerable<IOperation> CapturedReferences(IAnonymousFunctionOperation function)
    {
        foreach (IOperation operation in function.Body.Descendants())
        {
            bool captured = operation switch
            {
                ILocalReferenceOperation { Local: var local } => !IsDeclaredIn(local, function.Symbol),
                IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol owner } =>
                    owner.MethodKind != MethodKind.AnonymousFunction && !SymbolEqualityComparer.Default.Equals(owner, function.Symbol),
                IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } => true,
                _ => false,
            };

            if (captured)
            {
                yield return operation;
            }
        }
    }

    /// <summary>Whether <paramref name="local"/> is <paramref name="function"/>'s own (declared in it, or in a function nested in it), not captured.</summary>
    private static bool IsDeclaredIn(ILocalSymbol local, IMethodSymbol function)
    {
        for (ISymbol? container = local.ContainingSymbol; container is not null; container = container.ContainingSymbol)
        {
            if (SymbolEqualityComparer.Default.Equals(container, function))
            {
                return true;
            }

            if (container is not IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Where the object a store into <paramref name="target"/> lands comes from.</summary>
    public Origin OfDestination(IOperation target) => target.WithoutConversions() switch
    {
        IFieldReferenceOperation field => OfField(field),
        IArrayElementReferenceOperation element => Of(element.ArrayReference),
        IPropertyReferenceOperation property => OfProperty(property),
        ILocalReferenceOperation local => Of(local),
        _ => Origin.This,
    };

    /// <summary>Where the object <paramref name="operation"/> evaluates to comes from.</summary>
    public Origin Of(IOperation? operation)
    {
        switch (operation?.WithoutConversions())
        {
            case null:
                return Origin.Global; // a static member's "receiver"
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver }:
                // new T { Size = n }, old with { Count = 1 }: the object being initialised is new, or a clone, the caller's own.
                return Origin.Confined;
            case IInstanceReferenceOperation:
                return Origin.This;
            case IObjectCreationOperation or IArrayCreationOperation or IAnonymousObjectCreationOperation or ITypeParameterObjectCreationOperation:
                return Origin.Confined;
            case ILiteralOperation or IDefaultValueOperation:
                return Origin.Confined;
            case ILocalReferenceOperation local:
                return _locals.TryGetValue(local.Local, out Origin origin) ? origin : Origin.This;
            case IParameterReferenceOperation parameter:
                return OfParameter(parameter.Parameter);
            case IFieldReferenceOperation field:
                return OfField(field);
            case IArrayElementReferenceOperation element:
                return Of(element.ArrayReference);
            case IPropertyReferenceOperation property:
                return OfProperty(property);
            case IInvocationOperation invocation:
                return OfResult(invocation);
            case IAwaitOperation { Operation: IInvocationOperation awaited } when _symbols.TakesItems(awaited.TargetMethod):
                return Origin.Confined; // await reader.ReadAsync(): the item read is the caller's
            case IConditionalAccessInstanceOperation instance:
                return ConditionalAccessTarget(instance) is { } target ? Of(target) : Origin.This;
            case IConditionalAccessOperation access:
                return Of(access.WhenNotNull);
            case IConditionalOperation conditional:
                return Of(conditional.WhenTrue).Join(conditional.WhenFalse is null ? Origin.Confined : Of(conditional.WhenFalse));
            case ICoalesceAssignmentOperation assigned:
                return Of(assigned.Target).Join(Of(assigned.Value));
            case ISimpleAssignmentOperation assigned:
                return Of(assigned.Value).Join(OfDestination(assigned.Target));
            case ICoalesceOperation coalesce:
                return Of(coalesce.Value).Join(Of(coalesce.WhenNull));
            case IIsPatternOperation or IBinaryOperation or IUnaryOperation:
                return Origin.Confined;
            default:
                return Origin.This;
        }
    }

    private Origin OfParameter(IParameterSymbol parameter)
    {
        switch (parameter.ContainingSymbol)
        {
            case IMethodSymbol { MethodKind: MethodKind.Constructor } constructor when IsPrimary(constructor):
                return Origin.This; // a primary constructor's parameter, captured: state of the object
            case INamedTypeSymbol:
                // C# 14 extension(Acc a) { ... }: the block's parameter belongs to a type, not a method; it is the
                // receiver of every call of the block's members (_acc.AddOne()), their this.
                return Origin.This;
        }

        if (_publishedParameters is not null && _publishedParameters.TryGetValue(parameter, out Origin published))
        {
            return published;
        }

        return parameter.Type.IsValueType && parameter.RefKind == RefKind.None ? Origin.Confined : Origin.Parameter(parameter.Ordinal);
    }

    /// <summary><c>class H(int n)</c>: a constructor declared by the type's own parameter list.</summary>
    private static bool IsPrimary(IMethodSymbol constructor)
    {
        foreach (SyntaxReference reference in constructor.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A call's result: the callee's return origin with its <c>this</c> and parameters replaced by the call's receiver
    /// and arguments (a factory's <c>new</c> is the caller's own; <c>thread.State as T ?? Create(thread)</c> stays
    /// confined); for a callee outside the compilation, its receiver's origin, or a static's.
    /// </summary>
    private Origin OfResult(IInvocationOperation invocation)
    {
        if (_symbols.TakesItems(invocation.TargetMethod))
        {
            return Origin.Confined; // _blocking.Take(), GetConsumingEnumerable(): each item goes to one taker
        }

        if (_symbols.AtomicallyReadLocation(invocation) is { } location)
        {
            return Of(location); // Volatile.Read(ref _f), Interlocked.Exchange(ref _f, v): what was in the field, reached as it is
        }

        if (_callees?.ReturnOrigin(invocation.TargetMethod) is not { } returned)
        {
            return invocation.Instance is null ? Origin.Global : Of(invocation.Instance);
        }

        return CalleeFacts.Substitute(returned, invocation.Instance, isStatic: false, invocation.Arguments, Of);
    }

    private Origin OfField(IFieldReferenceOperation field)
    {
        if (field.Field.IsStatic)
        {
            return KnownSymbols.HasAttribute(field.Field, _symbols.ThreadStaticAttribute) ? Origin.Confined : Origin.Global;
        }

        return Of(field.Instance);
    }

    private Origin OfProperty(IPropertyReferenceOperation property)
    {
        if (_symbols.IsThreadConfinedSlot(property.Property))
        {
            return Origin.Confined; // ThreadLocal<T>.Value, StrategyThread.State: each thread sees its own object
        }

        return property.Property.IsStatic ? Origin.Global : Of(property.Instance);
    }

    private static IOperation? ConditionalAccessTarget(IOperation instance)
    {
        for (IOperation? current = instance.Parent; current is not null; current = current.Parent)
        {
            if (current is IConditionalAccessOperation access)
            {
                return access.Operation;
            }
        }

        return null;
    }
}
