import { authorizeShipAs } from "./authorize-ship-as.js";
import type { LocalWorld } from "./start-local-world.js";

/**
 * Points the world at a Ship that is now up, as installing Ship on GitHub would have:
 * webhooks go to `shipUrl`, the `installation.created` that Ship missed while it was
 * down is redelivered (so Ship knows who installed it), and the installer authorizes
 * Ship (GitHub's install-time authorization), unless `authorizeInstaller` is false.
 */
export async function connectShipToWorld(
  world: LocalWorld,
  shipUrl: string,
  options: { authorizeInstaller?: boolean } = {},
): Promise<void> {
  world.github.setWebhookUrl(world.app.id, `${shipUrl}/api/github/webhooks`);
  const missed = world.github.deliveries.filter(
    (delivery) =>
      delivery.event === "installation" && delivery.statusCode !== 200 && !delivery.redelivery,
  );
  for (const delivery of missed) await world.github.redeliver(delivery.guid);
  if (options.authorizeInstaller ?? true) {
    await authorizeShipAs({ shipUrl, login: world.sample.installer });
  }
}
