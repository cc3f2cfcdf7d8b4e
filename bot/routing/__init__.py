"""The one routing layer: every update goes through `pipeline.handle_update`.

- `actions`: the typed names of every button (`Action`) and conversation step (`Step`), shared by the renderers
  that draw a button and the handlers that answer it.
- `router`: the registry of commands, buttons, deep links and steps; `staff_only` / `manager_only`.
- `context`: `BotContext`, the CallbackContext every handler receives (services, viewer, language, session).
- `pipeline`: one unit of work per update: gates, route, handler, refusals, commit before the first reply.
- `gates`: duplicate deliveries, floods, who is talking.
- `replies`: the one way to answer: show a screen, say something, refuse politely.
"""
