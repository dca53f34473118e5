// The PRNG lives with the API test server (which must import nothing outside its own package); tests share it.
export {prng} from '../support/prng.js'
