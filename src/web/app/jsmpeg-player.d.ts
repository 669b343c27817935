declare module "@cycjimmy/jsmpeg-player" {
  interface PlayerOptions {
    canvas?: HTMLCanvasElement;
    autoplay?: boolean;
    audio?: boolean;
    loop?: boolean;
    onSourceEstablished?: () => void;
    onVideoDecode?: () => void;
    /** Seconds before the WebSocket source reconnects with the same URL; 0 = never (our tickets are single-use). */
    reconnectInterval?: number;
  }
  interface Player {
    destroy(): void;
  }
  const JSMpeg: { Player: new (url: string, options: PlayerOptions) => Player };
  export default JSMpeg;
}
