import type { MqttClient } from "mqtt";
import type { IPublishPacket } from "mqtt-packet";

type SendPacket = (packet: { cmd: string; messageId?: number }, cb?: (err?: Error) => void, cbStorePut?: unknown, noStore?: boolean) => void;

export type Ack = () => void;

/**
 * mqtt.js handles incoming packets one at a time and sends the PUBACK when its
 * handler finishes, which would make batching impossible (one message per commit).
 * This lets the client read on while holding each QoS 1 PUBACK back until `ack()` is
 * called after the database commit. A replica killed before the commit never acked,
 * so the broker redelivers the message to its persistent session.
 *
 * It wraps one private mqtt.js method (_sendPacket); the test of two replicas with a
 * killed one is what proves it, and it must be re-checked when mqtt.js is upgraded.
 */
export function deferPubacks(client: MqttClient, onMessage: (topic: string, payload: Buffer, ack: Ack) => void): void {
  const c = client as unknown as { _sendPacket: SendPacket; handleMessage: (packet: IPublishPacket, cb: (err?: Error) => void) => void };
  const original = c._sendPacket.bind(client);
  const held = new Map<number, Slot>();
  // A PUBACK belongs to one connection: after a reconnect the broker redelivers, and an
  // old message id could name a different message, so late acks of a lost connection are dropped.
  let connection = 0;
  client.on("close", () => {
    connection++;
    held.clear();
  });

  c._sendPacket = (packet, cb, cbStorePut, noStore) => {
    const slot = packet.cmd === "puback" && packet.messageId !== undefined ? held.get(packet.messageId) : undefined;
    if (slot) {
      if (slot.acked) {
        held.delete(packet.messageId!);
        original(packet, cb, cbStorePut, noStore);
      } else {
        slot.send = () => original(packet);
        cb?.();
      }
      return;
    }
    original(packet, cb, cbStorePut, noStore);
  };

  c.handleMessage = (packet, cb) => {
    const topic = packet.topic.toString();
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    if (packet.qos !== 1 || packet.messageId === undefined) {
      onMessage(topic, payload, () => {});
      cb();
      return;
    }
    const id = packet.messageId;
    const mine = connection;
    const slot: Slot = { acked: false, send: null };
    held.set(id, slot);
    onMessage(topic, payload, () => {
      if (slot.acked || connection !== mine || held.get(id) !== slot) return;
      slot.acked = true;
      if (slot.send) {
        held.delete(id);
        slot.send();
      }
    });
    cb();
  };
}

interface Slot {
  acked: boolean;
  /** Sends the held PUBACK; set once mqtt.js has tried to send it. */
  send: (() => void) | null;
}
