"""A mypy plugin: calling a factory_boy factory class is typed as its model.

`FilingFactory(status=...)` runs through factory_boy's metaclass `__call__`, which returns
`FilingFactory.create(...)`: a `FilingApplication`, not a `FilingFactory`. mypy ignores a
metaclass `__call__` and a `__new__` whose return type is not a subclass, so without help it
types the call as the factory. This hook reads the model from the factory's generic base
(`DjangoModelFactory[FilingApplication]`) and types the call as that; a factory without the
type argument keeps mypy's default. `.create()`, `.build()` and the batch methods are already
typed by factory_boy itself.

Registered in pyproject.toml (`[tool.mypy] plugins`) by path, so loading it imports nothing
of the project.
"""

from __future__ import annotations

from collections.abc import Callable

from mypy.maptype import map_instance_to_supertype
from mypy.nodes import TypeInfo
from mypy.plugin import FunctionContext, Plugin
from mypy.types import AnyType, Instance, Type, get_proper_type

BASE_FACTORY = "factory.base.BaseFactory"


def _model_instance(ctx: FunctionContext) -> Type:
    """The model type argument of the called factory's `BaseFactory[T]`, else the default."""
    default = get_proper_type(ctx.default_return_type)
    if not isinstance(default, Instance):
        return ctx.default_return_type
    base_info = next((info for info in default.type.mro if info.fullname == BASE_FACTORY), None)
    if base_info is None:
        return ctx.default_return_type
    base = map_instance_to_supertype(default, base_info)
    if not base.args or isinstance(get_proper_type(base.args[0]), AnyType):
        return ctx.default_return_type
    return base.args[0]


class FactoryCallPlugin(Plugin):
    """Types `SomeFactory(...)` as the model that `SomeFactory` creates."""

    def get_function_hook(self, fullname: str) -> Callable[[FunctionContext], Type] | None:
        """The hook for calls to a factory class; None for everything else."""
        symbol = self.lookup_fully_qualified(fullname)
        if symbol is None or not isinstance(symbol.node, TypeInfo):
            return None
        if symbol.node.fullname == BASE_FACTORY or not symbol.node.has_base(BASE_FACTORY):
            return None
        return _model_instance


def plugin(version: str) -> type[Plugin]:
    """mypy's entry point."""
    return FactoryCallPlugin
