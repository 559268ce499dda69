/**
 * JavaScript rooms: a Durable Object class (an ES module's export) run on GraalJS, one context per
 * active instance, behind the room API's {@link dev.dormouse.room.spi.RoomCodeLoader}.
 */
package dev.dormouse.js;
