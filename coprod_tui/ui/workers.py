"""The one way the UI calls the store: in a thread, with the answer sent back as a message.

A store call reads or writes files (and may wait for another window's lock),
so it never runs on the event loop: a 10,000-case catalog or a slow network
folder would otherwise freeze the screen and every key typed meanwhile.
Every screen does it the same way::

    off_the_loop(self, lambda: store.trash(case_id), done=self._trashed,
                 failed=self._delete_failed, group="case")

:func:`off_the_loop` starts a Textual thread worker (``@work(thread=True)``
underneath: :meth:`~textual.dom.DOMNode.run_worker`) that makes the call and
posts a :class:`StoreReply` to the screen: the result, or the error. The
screen handles the reply on its own task (one small handler,
``@on(StoreReply)`` calling :meth:`StoreReply.deliver`), so what it does
with the answer runs on the loop, in order with everything else it does, and
can touch widgets. A reply for a screen that has closed meanwhile is simply
not delivered (the call itself has happened).

``exclusive=True`` (with a ``group``) makes a newer call supersede an older
one of the same group: the older one's answer is dropped, so a slow read of
the catalog can never overwrite the newer one.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from textual import work
from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, WorkerState, get_current_worker

if TYPE_CHECKING:
    from textual.app import App

T = TypeVar("T")

#: What a failed call delivers: the exception it raised.
Failed = Callable[[Exception], Any]


class StoreReply(Message):
    """The answer of a store call, on its way from the worker thread to its screen."""

    bubble = False

    def __init__(self, callback: Callable[[Any], Any] | None, value: Any, *, ok: bool) -> None:
        super().__init__()
        self.callback = callback
        #: The call's result (``ok``) or the exception it raised.
        self.value = value
        self.ok = ok

    async def deliver(self) -> None:
        """Run the screen's ``done`` (or ``failed``) callback with the answer."""
        if self.callback is not None:
            outcome = self.callback(self.value)
            if inspect.isawaitable(outcome):
                await outcome


def off_the_loop(
    node: DOMNode,
    call: Callable[[], T],
    *,
    done: Callable[[T], Any] | None = None,
    failed: Failed | None = None,
    group: str = "store",
    exclusive: bool = False,
    description: str = "",
) -> Worker[None]:
    """Run ``call`` in a thread worker; post its result (or error) to ``node``: a StoreReply.

    ``failed`` gets any exception the call raised (a :class:`CoprodError`
    with a one-line message, or anything unexpected). Without ``failed``,
    the app shows the error in one line.
    """

    def fallback(error: Exception) -> None:
        notify_error = getattr(node.app, "notify_error", None)
        if notify_error is not None:
            notify_error(error)  # "Error", in the user's language

    on_error: Failed = failed if failed is not None else fallback

    def run() -> None:
        try:
            result = call()
        except Exception as error:  # noqa: BLE001 - every failure reaches the screen as one line
            reply = StoreReply(on_error, error, ok=False)
        else:
            reply = StoreReply(done, result, ok=True)
        if not get_current_worker().is_cancelled:
            node.post_message(reply)

    return node.run_worker(
        run,
        name=description or group,
        group=group,
        description=description or group,
        exclusive=exclusive,
        thread=True,
        exit_on_error=False,
    )


async def deliver_reply(reply: StoreReply) -> None:
    """The body of every screen's ``@on(StoreReply)`` handler."""
    reply.stop()
    await reply.deliver()


async def answer_of(
    node: DOMNode,
    call: Callable[[], T],
    *,
    group: str = "store",
    description: str = "",
) -> T:
    """Run ``call`` in a thread worker and wait, without blocking the loop, for its answer.

    For an action that must finish before the keys typed after it are let
    through (the new-case dialog: the editor must open first). The answer
    comes back through the loop (``call_soon_threadsafe``) rather than
    ``node``'s queue, so awaiting it from one of ``node``'s own handlers
    cannot deadlock. The call's error, if any, is raised here.
    """
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[T] = loop.create_future()

    def settle(result: T | None, error: Exception | None) -> None:
        if answer.done():
            return
        if error is not None:
            answer.set_exception(error)
        else:
            answer.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        try:
            result = call()
        except Exception as error:  # noqa: BLE001 - raised in the awaiting task
            loop.call_soon_threadsafe(settle, None, error)
        else:
            loop.call_soon_threadsafe(settle, result, None)

    node.run_worker(
        run,
        name=description or group,
        group=group,
        description=description or group,
        thread=True,
        exit_on_error=False,
    )
    return await answer


#: The worker group of store work started by a key; later keys wait for it.
KEYS_WAIT = "keys-wait"

P = ParamSpec("P")


def keys_wait(method: Callable[P, Coroutine[Any, Any, Any]]) -> Callable[P, Worker[Any]]:
    """Run an async method (one that awaits :func:`answer_of`) as a worker the keys wait for.

    The call returns at once (a Textual async worker in :data:`KEYS_WAIT`), so
    the app's own message queue, where key bindings run, never waits for the
    disk. The keys typed after the one that started it are let through only
    once it is done (``ui/typeahead.py``: a key has not landed while such a
    worker runs), or after the landing timeout: type-ahead acts on the screen
    as the store left it, and a stuck disk delays keys, never eats them.
    """
    return work(group=KEYS_WAIT, exit_on_error=False)(method)


def keys_are_waiting(app: App[Any]) -> bool:
    """Is store work started by a key still running (so the next key should wait)?"""
    return any(
        worker.group == KEYS_WAIT and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)
        for worker in app.workers
    )
