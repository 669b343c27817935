declare module "@cycjimmy/jsmpeg-player" {
  interface PlayerOptions {
    canvas?: HTMLCanvasElement;
    autoplay?: boolean;
    audio?: boolean;
    loop?: boolean;
    onSourceEstablished?: () => void;
    onVideoDecode?: () => void;
  }
  interface Player {
    destroy(): void;
  }
  const JSMpeg: { Player: new (url: string, options: PlayerOptions) => Player };
  export default JSMpeg;
}
