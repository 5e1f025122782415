"""`python -m tests.discord_at BASE_URL [ARGS...]`: `python -m bot ARGS` with discord.py pointed at BASE_URL
instead of discord.com (REST at BASE_URL/api/v10, the gateway at ws://.../gateway, the CDN at BASE_URL).

Subprocess tests run the real command line this way against the fake Discord, a closed port, a host that does
not resolve or a server that does not speak TLS.  The bot itself has no such switch."""

from __future__ import annotations

import sys

import discord.asset
import discord.gateway
import discord.http
import yarl

from bot.__main__ import main


def point_discord_at(base_url: str) -> None:
    url = yarl.URL(base_url)
    discord.http.Route.BASE = f"{base_url}/api/v10"
    discord.asset.Asset.BASE = base_url
    ws_scheme = "wss" if url.scheme == "https" else "ws"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = url.with_scheme(ws_scheme).with_path("/gateway")


if __name__ == "__main__":
    point_discord_at(sys.argv[1])
    sys.exit(main(sys.argv[2:]))
