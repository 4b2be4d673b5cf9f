import { authorizeShipAs } from "./authorize-ship-as.js";
import type { LocalWorld } from "./start-local-world.js";

/**
 * Points the world at a Ship that is now up, as installing Ship on GitHub would have:
 * webhooks go to `shipUrl`, the `installation.created` that Ship missed while it was
 * down is redelivered (so Ship knows who installed it), the installer authorizes Ship
 * (GitHub's install-time authorization) and so does the sample writer, as a collaborator
 * does once with "Authorize Ship" (runs act as the person who asked, and the installer
 * stands in for nobody unless SHIP_INSTALLER_STANDS_IN=on). Either can be left out.
 */
export async function connectShipToWorld(
  world: LocalWorld,
  shipUrl: string,
  options: { authorizeInstaller?: boolean; authorizeWriter?: boolean } = {},
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
  if (options.authorizeWriter ?? true) {
    await authorizeShipAs({ shipUrl, login: world.sample.writer.login });
  }
}
