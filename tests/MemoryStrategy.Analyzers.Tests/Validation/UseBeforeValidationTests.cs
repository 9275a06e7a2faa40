using MemoryStrategy.Analyzers;

namespace MemoryStrategy.Analyzers.Tests;

using Verify = AnalyzerVerifier<UseBeforeValidationAnalyzer>;

/// <summary>MEM3003: strategies from parameters, fields and calls are validated before they allocate or free.</summary>
public sealed class UseBeforeValidationTests
{
    private const string Get = "IMemoryStrategy Get() => null!; ";

    /// <summary>A holder of strategies that is not a strategy: its field and property read through a variable.</summary>
    private const string Box = "sealed class Box { public IMemoryStrategy Current = null!; public IMemoryStrategy Pool { get; set; } = null!; } ";

    /// <summary>A holder of holders: strategies two members away from a variable.</summary>
    private const string Nest = "sealed class Nest { public Box Inner = new(); public Box Other { get; set; } = new(); } ";

    public static TheoryData<string> Reports => new()
    {
        "void M(IMemoryStrategy s) { void* p = {|MEM3003:s.Allocate(8)|}; }",
        "void M(IMemoryStrategy s, void* p) { {|MEM3003:s.Deallocate(p)|}; }",
        "IMemoryStrategy _s = null!; void M() { {|MEM3003:_s.Allocate(8)|}; }",
        Get + "void M() { {|MEM3003:Get().Allocate(8)|}; }",
        "void M(IMemoryStrategy s, bool b) { if (b && !s.Validate()) return; {|MEM3003:s.Allocate(8)|}; }",
        "void M(IMemoryStrategy s) { s.Validate(); {|MEM3003:s.Allocate(8)|}; }",
        "void M(IMemoryStrategy s, IMemoryStrategy t) { if (!s.Validate()) return; s = t; {|MEM3003:s.Allocate(8)|}; }",
        "void M(IMemoryStrategy s, IMemoryStrategy t) { if (!StrategyValidator.ValidateStrategy(t)) return; {|MEM3003:s.Allocate(8)|}; }",
        Get + "void M() { var s = Get(); {|MEM3003:s.Allocate(1)|}; }",
        "void M(Impl s) { {|MEM3003:s.Allocate(1)|}; }",
        // a property is taken from as its field would be, whatever its getter does
        "IMemoryStrategy _s = null!; IMemoryStrategy Current => _s; void M() { {|MEM3003:Current.Allocate(8)|}; }",
        "IMemoryStrategy _s = null!; public IMemoryStrategy Current { get { return _s; } } void M(void* p) { {|MEM3003:this.Current.Deallocate(p)|}; }",
        "IMemoryStrategy Pool { get; set; } = null!; void M() { {|MEM3003:Pool.Allocate(8)|}; }",
        "static IMemoryStrategy Shared => null!; void M() { {|MEM3003:Shared.Allocate(8)|}; }",
        // a field or property read through a parameter or local is a strategy of its own, per variable
        Box + "void M(Box other) { {|MEM3003:other.Current.Allocate(8)|}; }",
        Box + "void M(Box a, Box b) { if (!StrategyValidator.ValidateStrategy(a.Pool)) return; {|MEM3003:b.Pool.Allocate(8)|}; }",
        Box + "void M(Box a, Box b) { if (!a.Pool.Validate()) return; a = b; {|MEM3003:a.Pool.Allocate(8)|}; }",
        Box + "void M(Box other) { if (!other.Pool.Validate()) return; {|MEM3003:other.Current.Allocate(8)|}; }",
        // a longer path, or one from a field of the class, is a strategy of its own too; assigning any member along it forgets it
        Box + Nest + "void M(Nest n) { {|MEM3003:n.Inner.Current.Allocate(8)|}; }",
        Box + Nest + "void M(Nest n) { if (!n.Inner.Pool.Validate()) return; {|MEM3003:n.Other.Pool.Allocate(8)|}; }",
        Box + Nest + "void M(Nest n, Box b) { if (!n.Inner.Pool.Validate()) return; n.Inner = b; {|MEM3003:n.Inner.Pool.Allocate(8)|}; }",
        Box + Nest + "void M(Nest n) { if (!StrategyValidator.ValidateStrategy(n.Inner.Pool)) return; n = new Nest(); {|MEM3003:n.Inner.Pool.Allocate(8)|}; }",
        Box + "Box _box = new(); void M() { {|MEM3003:_box.Current.Allocate(8)|}; }",
        Box + "Box _box = new(); void M(Box b) { if (!_box.Pool.Validate()) return; _box = b; {|MEM3003:this._box.Pool.Allocate(8)|}; }",
        // a path through a getter that makes a new object on every read is judged as a call
        Box + "Box Fresh => new Box(); void M() { if (!Fresh.Pool.Validate()) return; {|MEM3003:Fresh.Pool.Allocate(8)|}; }",
        // a getter that makes a new strategy on every read is a factory: the one validated is not the one used
        "IMemoryStrategy Current => new Impl(); void M() { if (!StrategyValidator.ValidateStrategy(Current)) return; {|MEM3003:Current.Allocate(8)|}; }",
        "IMemoryStrategy Current { get { return new Impl(); } } void M(void* p) { if (!Current.Validate()) return; {|MEM3003:Current.Deallocate(p)|}; }",
        // a call of the class's own code that assigns a validated private field, at any depth, by a setter or a deconstruction
        "IMemoryStrategy _s = null!; IMemoryStrategy _next = null!; void M() { if (!_s.Validate()) return; Swap(); {|MEM3003:_s.Allocate(8)|}; } void Swap() => _s = _next;",
        "IMemoryStrategy _s = null!; void M(IMemoryStrategy t) { if (!_s.Validate()) return; Use(t); {|MEM3003:_s.Allocate(8)|}; } void Use(IMemoryStrategy t) => Set(t); void Set(IMemoryStrategy t) { _s = t; }",
        "IMemoryStrategy _s = null!; IMemoryStrategy Pool { set => _s = value; } void M(IMemoryStrategy t) { if (!_s.Validate()) return; Replace(t); {|MEM3003:_s.Allocate(8)|}; } void Replace(IMemoryStrategy t) { Pool = t; }",
        "IMemoryStrategy _s = null!; IMemoryStrategy _t = null!; void M() { if (!_s.Validate()) return; Swap(); {|MEM3003:_s.Allocate(8)|}; } void Swap() => (_s, _t) = (_t, _s);",
        // an alias: a member assigned through a copy of the variable changes what the variable reads; an alias ended
        Box + "void M(Box a, IMemoryStrategy other) { if (!a.Pool.Validate()) return; var b = a; b.Pool = other; {|MEM3003:a.Pool.Allocate(8)|}; }",
        "void M(IMemoryStrategy s, IMemoryStrategy u) { var t = s; t = u; if (!t.Validate()) return; {|MEM3003:s.Allocate(8)|}; }",
        // an element at a constant or a variable's index is a strategy of its own; assigning another element that may be
        // the same one, or the index, forgets it
        Box + "void M(Box[] holders) { {|MEM3003:holders[0].Pool.Allocate(8)|}; }",
        "void M(List<IMemoryStrategy> all) { {|MEM3003:all[0].Allocate(8)|}; }",
        Box + "void M(Box[] holders) { if (!holders[0].Pool.Validate()) return; {|MEM3003:holders[1].Pool.Allocate(8)|}; }",
        Box + "void M(Box[] holders, Box b, int i) { if (!holders[i].Pool.Validate()) return; holders[0] = b; {|MEM3003:holders[i].Pool.Allocate(8)|}; }",
        "void M(IMemoryStrategy[] all, int i) { if (!all[i].Validate()) return; i++; {|MEM3003:all[i].Allocate(8)|}; }",
        // code that assigns the path's member
        Box + "void M(Box b, IMemoryStrategy t) { if (!b.Pool.Validate()) return; Replace(b, t); {|MEM3003:b.Pool.Allocate(8)|}; } static void Replace(Box b, IMemoryStrategy t) => b.Pool = t;",
        // a lambda's or local function's own parameter or local, and a call's result there
        "void M(List<IMemoryStrategy> all) { all.ForEach(s => {|MEM3003:s.Allocate(8)|}); }",
        "void M() { void Work(IMemoryStrategy s) { {|MEM3003:s.Allocate(8)|}; } }",
        Get + "void M() { Action a = () => { var s = Get(); {|MEM3003:s.Allocate(8)|}; }; }",
    };

    public static TheoryData<string> NearMisses => new()
    {
        "void M(IMemoryStrategy s) { if (!StrategyValidator.ValidateStrategy(s)) return; s.Allocate(8); }",
        "void M(IMemoryStrategy s) { if (s.Validate()) { s.Allocate(8); } }",
        "void M(IMemoryStrategy s) { if (!StrategyValidator.ValidateStrategy(s)) return; void* p = s.Allocate(1024); if (p != null && StrategyValidator.ValidateDeallocation(s, p)) s.Deallocate(p); }",
        "void M() { using var s = new Impl(); s.Allocate(8); }",
        "void M(IMemoryStrategy s) { if (!StrategyValidator.ValidateAllocation(s, 64)) throw new InvalidOperationException(); s.Allocate(64); }",
        "void M(IMemoryStrategy s) { while (!s.Validate()) { Thread.Sleep(1); } s.Allocate(1); }",
        "void* M(IMemoryStrategy s) => s.Validate() ? s.Allocate(8) : null;",
        "void M(IMemoryStrategy s) { if (!s.Validate()) return; for (int i = 0; i < 3; i++) { void* p = s.Allocate(8); s.Deallocate(p); } }",
        "IMemoryStrategy _s = null!; IMemoryStrategy Current => _s; void M() { if (!StrategyValidator.ValidateStrategy(Current)) return; Current.Allocate(8); }",
        "IMemoryStrategy Pool { get; } = null!; void M() { if (Pool.Validate()) { Pool.Allocate(8); } }",
        Box + "void M(Box other) { if (!StrategyValidator.ValidateStrategy(other.Pool)) return; other.Pool.Allocate(8); }",
        Box + "void M(Box other, void* p) { if (other.Current.Validate()) { other.Current.Deallocate(p); } }",
        Box + "void M(Box other) { var local = other; if (!local.Pool.Validate()) return; local.Pool.Allocate(8); }",
        Box + Nest + "void M(Nest n) { if (!StrategyValidator.ValidateStrategy(n.Inner.Pool)) return; n.Inner.Pool.Allocate(8); }",
        Box + Nest + "void M(Nest n, IMemoryStrategy s) { if (!n.Inner.Pool.Validate()) return; n.Inner.Current = s; n.Other = new Box(); n.Inner.Pool.Allocate(8); }",
        Box + "Box _box = new(); void M(void* p) { if (_box.Current.Validate()) { _box.Current.Deallocate(p); } }",
        Box + "Box _box = new(); void M() { if (!this._box.Pool.Validate()) return; _box.Pool.Allocate(8); }",
        // a getter that creates on one path only is judged as the field it otherwise reads
        "IMemoryStrategy _s = null!; IMemoryStrategy Current { get { if (_s is null) return new Impl(); return _s; } } void M() { if (!Current.Validate()) return; Current.Allocate(8); }",
        // a call of the class's own code that only reads the field, or sets it to a new strategy, another object's field
        // (a constructor's own), or code that cannot be read
        "IMemoryStrategy _s = null!; void M() { if (!_s.Validate()) return; Log(); _s.Allocate(8); } void Log() => Console.WriteLine(_s);",
        "IMemoryStrategy _s = null!; void M() { if (!_s.Validate()) return; Renew(); _s.Allocate(8); } void Renew() => _s = new Impl();",
        "IMemoryStrategy _s = null!; C() { } C(IMemoryStrategy s) { _s = s; } void M() { if (!_s.Validate()) return; var copy = Copy(); _s.Allocate(8); } C Copy() => new C(_s);",
        "IMemoryStrategy _s = null!; void M(Action a) { if (!_s.Validate()) return; a(); _s.Allocate(8); }",
        // a copy of a validated strategy is validated, and validating a copy validates the original
        "void M(IMemoryStrategy s) { if (!s.Validate()) return; var t = s; t.Allocate(8); }",
        "void M(IMemoryStrategy s) { IMemoryStrategy t = s; if (!t.Validate()) return; s.Allocate(8); }",
        Box + "void M(Box a) { var b = a; if (!b.Pool.Validate()) return; a.Pool.Allocate(8); }",
        // an element validated, another constant element assigned, a loop over the elements, a dictionary's constant key
        Box + "void M(Box[] holders) { if (!holders[0].Pool.Validate()) return; holders[0].Pool.Allocate(8); }",
        "void M(IMemoryStrategy[] all, IMemoryStrategy s) { if (!all[0].Validate()) return; all[1] = s; all[0].Allocate(8); }",
        "void M(IMemoryStrategy[] all) { for (int i = 0; i < all.Length; i++) { if (!all[i].Validate()) continue; all[i].Allocate(8); } }",
        "void M(Dictionary<string, IMemoryStrategy> byName) { if (!byName[\"a\"].Validate()) return; byName[\"a\"].Allocate(8); }",
        // code that only reads the path
        Box + "void M(Box b) { if (!b.Pool.Validate()) return; Log(b); b.Pool.Allocate(8); } static void Log(Box b) => Console.WriteLine(b.Pool);",
        // in a lambda: a captured variable or a field (what it went through before is not visible), or its own validated
        "void M(IMemoryStrategy s) { if (!s.Validate()) return; Action a = () => s.Allocate(8); }",
        "IMemoryStrategy _s = null!; void M() { Action a = () => _s.Allocate(8); }",
        Box + "void M(Box b) { Action a = () => b.Pool.Allocate(8); }",
        "void M(List<IMemoryStrategy> all) { all.ForEach(s => { if (s.Validate()) s.Allocate(8); }); }",
        "void M() { void Work(IMemoryStrategy s) { if (!StrategyValidator.ValidateStrategy(s)) return; s.Allocate(8); } }",
    };

    /// <summary>A strategy class that holds strategies in fields, routing to them from its cores.</summary>
    public static TheoryData<string> Holders => new()
    {
        "[MemoryStrategy] public unsafe partial class Outer { private readonly IMemoryStrategy _fallback = new Impl(); [Allocate] private void* A(nuint size) => _fallback.Allocate(size); [Deallocate] private void D(void* p) => _fallback.Deallocate(p); }",
        "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl[] _classes = [new()]; [Allocate] private void* A(nuint size) => _classes[0].Allocate(size); [Deallocate] private void D(void* p) => this._classes[0].Deallocate(p); }",
        // Through a foreach variable over an array field or a list field.
        "[MemoryStrategy] public unsafe partial class Outer { private readonly IMemoryStrategy[] _inners = [new Impl()]; [Allocate] private void* A(nuint size) { foreach (IMemoryStrategy inner in _inners) { void* p = inner.Allocate(size); if (p != null) return p; } return null; } [Deallocate] private void D(void* p) { foreach (var inner in _inners) inner.Deallocate(p); } }",
        "[MemoryStrategy] public unsafe partial class Outer { private readonly List<IMemoryStrategy> _inners = [new Impl()]; [Allocate] private void* A(nuint size) { foreach (IMemoryStrategy inner in _inners) { void* p = inner.Allocate(size); if (p != null) return p; } return null; } [Deallocate] private void D(void* p) { } }",
        // Through a local that holds the field, an element of it, one of two fields, or another such local.
        "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _pool = new(); [Allocate] private void* A(nuint size) { Impl local = _pool; return local.Allocate(size); } [Deallocate] private void D(void* p) { IMemoryStrategy first; first = this._pool; var second = first; second.Deallocate(p); } }",
        "[MemoryStrategy] public unsafe partial class Outer { private readonly List<Impl> _pools = [new()]; private readonly Impl _big = new(); [Allocate] private void* A(nuint size) { var pool = size < 64 ? _pools[(int)size / 16] : _big; return pool.Allocate(size); } [Deallocate] private void D(void* p) { for (int i = 0; i < _pools.Count; i++) _pools[i].Deallocate(p); } }",
        // Through a dictionary: its indexer, TryGetValue, a foreach over its values; and an auto-property.
        "[MemoryStrategy] public unsafe partial class Outer { private readonly Dictionary<int, IMemoryStrategy> _bySize = new(); [Allocate] private void* A(nuint size) => _bySize.TryGetValue((int)size, out var pool) ? pool.Allocate(size) : _bySize[0].Allocate(size); [Deallocate] private void D(void* p) { foreach (var inner in _bySize.Values) inner.Deallocate(p); } }",
        "[MemoryStrategy] public unsafe partial class Outer { private Impl Pool { get; } = new(); [Allocate] private void* A(nuint size) { var pool = Pool; return pool.Allocate(size); } [Deallocate] private void D(void* p) => Pool.Deallocate(p); }",
        // A pattern's variable over a held field: in an is-pattern, a switch statement's case.
        "[MemoryStrategy] public unsafe partial class Outer { private readonly IMemoryStrategy _fallback = new Impl(); [Allocate] private void* A(nuint size) => _fallback is Impl impl ? impl.Allocate(size) : null; "
            + "[Deallocate] private void D(void* p) { switch (_fallback) { case Impl impl: impl.Deallocate(p); break; } } }",
        // A strategy taken out of a held collection by a call: LINQ's First, List's Find, a local from one.
        "[MemoryStrategy] public unsafe partial class Outer { private readonly List<IMemoryStrategy> _inners = [new Impl()]; [Allocate] private void* A(nuint size) => System.Linq.Enumerable.First(_inners).Allocate(size); "
            + "[Deallocate] private void D(void* p) { var owner = _inners.Find(s => s.Owns(p)); if (owner != null) owner.Deallocate(p); } }",
        // Through an object the class keeps in its own fields (its state in a helper): a field, an auto-property, an element.
        "[MemoryStrategy] public unsafe partial class Outer { private sealed class State { public IMemoryStrategy Fallback = new Impl(); public Impl[] Classes = [new()]; public Tiers Tiers { get; } = new(); } "
            + "private sealed class Tiers { public Impl Small { get; } = new(); } private readonly State _state = new(); "
            + "[Allocate] private void* A(nuint size) => size < 16 ? _state.Tiers.Small.Allocate(size) : this._state.Classes[0].Allocate(size); [Deallocate] private void D(void* p) { var f = _state.Fallback; f.Deallocate(p); } }",
        // A private helper of the class returning a held value: called directly, through a local, or as a private property.
        "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _pool = new(); [Allocate] private void* A(nuint size) { var pool = Pick(); return pool.Allocate(size); } [Deallocate] private void D(void* p) => this.Pick().Deallocate(p); private IMemoryStrategy Pick() => _pool; }",
        "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _small = new(); private readonly IMemoryStrategy[] _big = [new Impl()]; [Allocate] private void* A(nuint size) => Route(size).Allocate(size); [Deallocate] private void D(void* p) { } "
            + "private IMemoryStrategy Route(nuint size) { if (size < 64) return _small; var big = _big[0]; return big; } }",
        "[MemoryStrategy] public unsafe partial class Outer { private readonly Dictionary<int, IMemoryStrategy> _bySize = new(); [Allocate] private void* A(nuint size) => Current.Allocate(size); [Deallocate] private void D(void* p) { IMemoryStrategy c = Fallback; c.Deallocate(p); } "
            + "private IMemoryStrategy Current => _bySize[0]; private IMemoryStrategy Fallback { get { return _bySize.TryGetValue(1, out var f) ? f : _bySize[0]; } } }",
    };

    /// <summary>A strategy class's own calls on strategies that do not come only from its own fields: judged as anywhere else.</summary>
    public static TheoryData<string> HolderReports => new()
    {
        // A local from a parameter, a static field, a method's result; a foreach over a parameter.
        "[MemoryStrategy] public unsafe partial class Outer { [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } public void* M(IMemoryStrategy s) { var local = s; return {|MEM3003:local.Allocate(8)|}; } }",
        "[MemoryStrategy] public unsafe partial class Outer { private static readonly IMemoryStrategy s_shared = new Impl(); [Allocate] private void* A(nuint size) { var shared = s_shared; return {|MEM3003:shared.Allocate(size)|}; } [Deallocate] private void D(void* p) { } }",
        "[MemoryStrategy] public unsafe partial class Outer { [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } public void Free(IMemoryStrategy[] all, void* p) { foreach (var s in all) {|MEM3003:s.Deallocate(p)|}; } }",
        // A helper that returns something not held on one path, a helper returning another helper's result (one level
        // is followed), a helper others can override or call, a static helper, a helper that makes a new strategy.
        "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _pool = new(); [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } public void* M(IMemoryStrategy s, bool b) => {|MEM3003:Pick(s, b).Allocate(8)|}; private IMemoryStrategy Pick(IMemoryStrategy s, bool b) => b ? _pool : s; }",
        "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _pool = new(); [Allocate] private void* A(nuint size) { var pool = Outer2(); return {|MEM3003:pool.Allocate(size)|}; } [Deallocate] private void D(void* p) { } private IMemoryStrategy Outer2() => Pick(); private IMemoryStrategy Pick() => _pool; }",
        "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _pool = new(); [Allocate] private void* A(nuint size) { var pool = Pick(); return {|MEM3003:pool.Allocate(size)|}; } [Deallocate] private void D(void* p) { } protected virtual IMemoryStrategy Pick() => _pool; }",
        "[MemoryStrategy] public unsafe partial class Outer { private static readonly Impl s_pool = new(); [Allocate] private void* A(nuint size) => {|MEM3003:Pick().Allocate(size)|}; [Deallocate] private void D(void* p) { } private static IMemoryStrategy Pick() => s_pool; }",
        "[MemoryStrategy] public unsafe partial class Outer { [Allocate] private void* A(nuint size) { var pool = Make(); return {|MEM3003:pool.Allocate(size)|}; } [Deallocate] private void D(void* p) { } private IMemoryStrategy Make() => new Impl(); }",
        // A call's result on an own field that is not a collection of strategies (it may make a new one).
        "[MemoryStrategy] public unsafe partial class Outer { private readonly Func<IMemoryStrategy> _make = () => new Impl(); [Allocate] private void* A(nuint size) { var made = _make(); return {|MEM3003:made.Allocate(size)|}; } [Deallocate] private void D(void* p) { } }",
        // A property that is not such a helper: one others can call or override, one that makes a new strategy.
        "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _pool = new(); [Allocate] private void* A(nuint size) => {|MEM3003:Current.Allocate(size)|}; [Deallocate] private void D(void* p) { } public IMemoryStrategy Current => _pool; }",
        "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _pool = new(); [Allocate] private void* A(nuint size) => {|MEM3003:Current.Allocate(size)|}; [Deallocate] private void D(void* p) { } protected virtual IMemoryStrategy Current { get { return _pool; } } }",
        "[MemoryStrategy] public unsafe partial class Outer { [Allocate] private void* A(nuint size) => {|MEM3003:Fresh.Allocate(size)|}; [Deallocate] private void D(void* p) { } private IMemoryStrategy Fresh => new Impl(); }",
        "[MemoryStrategy] public unsafe partial class Outer { private static readonly Impl s_pool = new(); [Allocate] private void* A(nuint size) => {|MEM3003:Shared.Allocate(size)|}; [Deallocate] private void D(void* p) { } private static IMemoryStrategy Shared => s_pool; }",
        // A local that holds the field, then a parameter: one write from elsewhere is enough.
        "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _pool = new(); [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } public void* M(IMemoryStrategy s, bool b) { IMemoryStrategy local = _pool; if (b) local = s; return {|MEM3003:local.Allocate(8)|}; } }",
        // A computed property of an object held in a field: not followed (it may return anything).
        "[MemoryStrategy] public unsafe partial class Outer { private sealed class State { private readonly IMemoryStrategy _f = new Impl(); public IMemoryStrategy Current => _f; } private readonly State _state = new(); "
            + "[Allocate] private void* A(nuint size) => {|MEM3003:_state.Current.Allocate(size)|}; [Deallocate] private void D(void* p) { } }",
        // A body with both: the held field is silent, the parameter is not.
        "[MemoryStrategy] public unsafe partial class Outer { private readonly Impl _pool = new(); [Allocate] private void* A(nuint size) => null; [Deallocate] private void D(void* p) { } public void* M(IMemoryStrategy s) { void* p = _pool.Allocate(8); return p != null ? p : {|MEM3003:s.Allocate(8)|}; } }",
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public Task Reports_use_before_validation(string members) => Verify.VerifyAsync(Sources.Caller(members));

    [Fact]
    public Task Reports_a_field_of_a_class_that_is_not_a_strategy() =>
        Verify.VerifyAsync(Sources.File(Sources.Implementation + "\npublic unsafe class Holder { private readonly IMemoryStrategy _inner = new Impl(); public void* Get() => {|MEM3003:_inner.Allocate(8)|}; }"));

    [Theory]
    [MemberData(nameof(Holders))]
    public Task Does_not_report_a_strategy_routing_to_the_strategies_it_holds(string code) =>
        Verify.VerifyAsync(Sources.File(Sources.Implementation + "\n" + code));

    [Theory]
    [MemberData(nameof(HolderReports))]
    public Task Reports_a_strategy_class_using_strategies_that_are_not_only_its_own(string code) =>
        Verify.VerifyAsync(Sources.File(Sources.Implementation + "\n" + code));

    [Fact]
    public Task Does_not_report_a_helper_written_in_another_part_of_the_class() =>
        Verify.VerifyAsync(
        [
            Sources.File(Sources.Implementation + "\n[MemoryStrategy] public unsafe partial class Outer { [Allocate] private void* A(nuint size) => Pick().Allocate(size); [Deallocate] private void D(void* p) => Pool.Deallocate(p); }"),
            Sources.File("public unsafe partial class Outer { private readonly Impl _pool = new(); private IMemoryStrategy Pick() => _pool; private IMemoryStrategy Pool => _pool; }"),
        ]);

    [Theory]
    [MemberData(nameof(NearMisses))]
    public Task Does_not_report_validated_or_fresh_strategies(string members) => Verify.VerifyAsync(Sources.Caller(members));
}
