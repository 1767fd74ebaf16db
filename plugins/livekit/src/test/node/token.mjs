// Prints an access token made by LiveKit's own server SDK: node token.mjs <api key> <secret> <identity> <room>
import { AccessToken } from 'livekit-server-sdk';

const [apiKey, secret, identity, room] = process.argv.slice(2);
const token = new AccessToken(apiKey, secret, { identity, name: identity, ttl: '10m' });
token.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: true });
console.log(await token.toJwt());
